# The series codec for immutable block chunks (codec.h, docs/format/codec.md).
find_package(zstd REQUIRED)

add_library(hw_tsdb_codec STATIC
  codec.cc codec_column.cc codec_float.cc codec_zstd.cc)
target_include_directories(hw_tsdb_codec PUBLIC ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(hw_tsdb_codec PUBLIC hw_model hw_base fmt::fmt zstd::libzstd_shared)

hw_test(codec_test
  SOURCES codec_test.cc codec_column_test.cc codec_corrupt_test.cc codec_batch_test.cc
  DEPS hw_tsdb_codec)

# Density and throughput on a node_exporter-like mix (a build target, not a test):
#   ninja codec_bench && ./src/tsdb/codec_bench
find_package(benchmark QUIET)
if(benchmark_FOUND)
  add_executable(codec_bench codec_bench.cc codec_bench_data.cc)
  target_link_libraries(codec_bench PRIVATE hw_tsdb_codec hw_tsdb benchmark::benchmark)
endif()

# libFuzzer target, clang only: cmake -DCMAKE_CXX_COMPILER=clang++ ... && ninja codec_fuzz
if(CMAKE_CXX_COMPILER_ID MATCHES Clang)
  add_executable(codec_fuzz codec_fuzz.cc)
  target_compile_options(codec_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(codec_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(codec_fuzz PRIVATE hw_tsdb_codec)
endif()
