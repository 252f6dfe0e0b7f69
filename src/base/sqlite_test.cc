#include "base/sqlite.h"

#include <gtest/gtest.h>

namespace hw {
namespace {

TEST(SqliteTest, PersistsAcrossReopenAndReportsErrors) {
  const std::string path = testing::TempDir() + "/sqlite_test.db";
  std::remove(path.c_str());
  {
    Result<Sqlite> db = Sqlite::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE(db->Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER, d REAL)").ok());
    Result<Sqlite::Statement> ins = db->Prepare("INSERT INTO t VALUES (?1, ?2, ?3)");
    ASSERT_TRUE(ins.ok());
    ASSERT_TRUE(db->Begin().ok());
    ASSERT_TRUE(ins->Bind(1, "a").Bind(2, 1).Bind(3, 0.5).Run().ok());
    ASSERT_TRUE(ins->Bind(1, std::string_view("b\0c", 3)).Bind(2, std::int64_t{1} << 40).BindNull(3).Run().ok());
    Status dup = ins->Bind(1, "a").Bind(2, 2).Bind(3, 0.0).Run();
    EXPECT_FALSE(dup.ok());
    EXPECT_NE(dup.message().find("UNIQUE constraint failed"), std::string::npos) << dup.message();
    ASSERT_TRUE(db->Commit().ok());
  }
  Result<Sqlite> db = Sqlite::Open(path);
  ASSERT_TRUE(db.ok());
  Result<Sqlite::Statement> q = db->Prepare("SELECT k, v, d FROM t ORDER BY k");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->Step());
  EXPECT_EQ(q->Text(0), "a");
  EXPECT_EQ(q->Int(1), 1);
  EXPECT_EQ(q->Double(2), 0.5);
  ASSERT_TRUE(q->Step());
  EXPECT_EQ(q->Text(0), std::string("b\0c", 3));
  EXPECT_EQ(q->Int(1), std::int64_t{1} << 40);
  EXPECT_TRUE(q->IsNull(2));
  EXPECT_FALSE(q->Step());
  EXPECT_TRUE(q->status().ok());
  Result<Sqlite::Statement> bad = db->Prepare("SELEKT 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos);
  Result<Sqlite> nowhere = Sqlite::Open("/nonexistent/dir/x.db");
  EXPECT_FALSE(nowhere.ok());
}

}  // namespace
}  // namespace hw
