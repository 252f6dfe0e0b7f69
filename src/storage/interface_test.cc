// The interfaces have no behaviour of their own; this test pins their shape by
// implementing them minimally and using them only through the base classes.
#include "storage/interface.h"

#include <gtest/gtest.h>

namespace hw::storage {
namespace {

// Keeps committed samples of a single series; enough to use every interface method.
class OneSeriesStore : public Appendable {
 public:
  std::vector<model::Sample> committed;

  class App : public Appender {
   public:
    explicit App(OneSeriesStore* s) : s_(s) {}
    Result<SeriesRef> Append(const model::Labels& labels, std::int64_t t, double v,
                             const AppendOptions& opts) override {
      if (labels.empty()) return Status::BadData("cannot append sample to {}: empty labelset");
      HW_RETURN_IF_ERROR(AppendRef(1, t, v));
      return SeriesRef{1};
    }
    Status AppendRef(SeriesRef ref, std::int64_t t, double v) override {
      if (ref != 1) return Status::NotFound("unknown series ref");
      pending_.push_back({t, v});
      return {};
    }
    Status Commit() override {
      s_->committed.insert(s_->committed.end(), pending_.begin(), pending_.end());
      pending_.clear();
      return {};
    }
    void Rollback() override { pending_.clear(); }

   private:
    OneSeriesStore* s_;
    std::vector<model::Sample> pending_;
  };

  std::unique_ptr<Appender> NewAppender() override { return std::make_unique<App>(this); }
};

TEST(StorageInterfaceTest, AppenderEndsInCommitOrRollback) {
  OneSeriesStore store;
  Appendable& appendable = store;
  auto labels = model::Labels::FromPairs({{"__name__", "up"}});

  std::unique_ptr<Appender> app = appendable.NewAppender();
  Result<SeriesRef> ref = app->Append(labels, 1000, 1);
  ASSERT_TRUE(ref.ok());
  EXPECT_TRUE(app->AppendRef(*ref, 2000, 2).ok());
  EXPECT_EQ(app->AppendRef(*ref + 1, 3000, 3).code(), StatusCode::kNotFound);
  EXPECT_EQ(app->Append(model::Labels(), 1, 1).status().code(), StatusCode::kBadData);
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(store.committed.size(), 2u);

  app = appendable.NewAppender();
  ASSERT_TRUE(app->Append(labels, 4000, 4).ok());
  app->Rollback();
  EXPECT_EQ(store.committed.size(), 2u);
}

TEST(StorageInterfaceTest, AppendOptionsDefaultToPlainFloatSamples) {
  AppendOptions opts;
  EXPECT_EQ(opts.exemplar, nullptr);
  EXPECT_EQ(opts.histogram, nullptr);
  SelectHints hints;
  EXPECT_EQ(hints.step_ms, 0);
}

}  // namespace
}  // namespace hw::storage
