# Persistent blocks: chunk segments, index, tombstones, meta.json, queriers over
# blocks, compaction and its planner (docs/format/block.md, docs/format/index.md).
add_library(hw_tsdb_block STATIC
  block.cc block_batch_cache.cc block_dir.cc block_encoding.cc block_iterator.cc
  block_sample_cache.cc block_merge_querier.cc block_meta.cc block_querier.cc block_writer.cc block_writer_batch.cc
  chunk_file.cc compact.cc compact_plan.cc
  index_postings.cc index_reader.cc index_writer.cc mmap.cc tombstones.cc ulid.cc)
target_include_directories(hw_tsdb_block PUBLIC ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(hw_tsdb_block PUBLIC hw_tsdb hw_tsdb_codec hw_storage hw_model hw_base fmt::fmt)

hw_test(block_test
  SOURCES block_test_util.cc ulid_test.cc block_dir_test.cc block_encoding_test.cc chunk_file_test.cc
          index_test.cc block_querier_test.cc block_corruption_test.cc tombstones_test.cc
          block_merge_querier_test.cc block_writer_test.cc compact_test.cc compact_plan_test.cc
          block_sample_cache_test.cc
  DEPS hw_tsdb_block)

# Bytes on disk per sample and read throughput of a realistic 2 h block, XOR vs
# columnar-batched (target only, not a test):
# ninja block_bench && ./block_bench
add_executable(block_bench block_bench.cc block_test_util.cc)
target_link_libraries(block_bench PRIVATE hw_tsdb_block)
