# The store of one data directory: head + WAL + blocks, compaction and retention.
# Included from src/tsdb/CMakeLists.txt after wal.cmake and block.cmake.
add_library(hw_tsdb_db STATIC db.cc db_compact.cc)
target_include_directories(hw_tsdb_db PUBLIC ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(hw_tsdb_db PUBLIC hw_tsdb_block hw_tsdb_wal hw_tsdb hw_base fmt::fmt)

hw_test(db_test SOURCES db_test.cc DEPS hw_tsdb_db)
