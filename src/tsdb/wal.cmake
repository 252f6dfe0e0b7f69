# The write-ahead log (wal*.cc, record.cc, checkpoint.cc): its own library so that the
# head can link it and its tests build without the rest of tsdb. Its CRC-32C
# (crc32c.cc) lives in the base hw_tsdb library, shared with the block files.
# Included from src/tsdb/CMakeLists.txt; paths are relative to this folder.
add_library(hw_tsdb_wal STATIC
  record.cc
  wal_files.cc
  wal.cc
  wal_log.cc
  wal_reader.cc
  wal_repair.cc
  checkpoint.cc)
target_include_directories(hw_tsdb_wal PUBLIC ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(hw_tsdb_wal PUBLIC hw_tsdb hw_model hw_base fmt::fmt Threads::Threads)

hw_test(wal_test
  SOURCES crc32c_test.cc record_test.cc wal_test.cc wal_repair_test.cc checkpoint_test.cc
  DEPS hw_tsdb_wal)

# Benchmark: a build target only (ninja wal_bench && ./wal_bench).
find_package(benchmark QUIET)
if(benchmark_FOUND)
  add_executable(wal_bench wal_bench.cc)
  target_link_libraries(wal_bench PRIVATE hw_tsdb_wal benchmark::benchmark)
endif()
