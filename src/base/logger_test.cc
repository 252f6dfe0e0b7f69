#include "base/logger.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace hw {
namespace {

rapidjson::Document ParseLine(const std::string& line) {
  rapidjson::Document d;
  d.Parse(line.c_str());
  EXPECT_FALSE(d.HasParseError()) << line;
  return d;
}

TEST(LoggerTest, WritesTheGuidesLogEntryFields) {
  auto sink = std::make_shared<MemoryLogSink>();
  FakeClock clock(1764219755123);  // 2025-11-27T05:02:35.123Z
  Logger log("hastewatch", LogLevel::kInfo, sink, clock);
  LogContext ctx{"req-1", "user-7", "ws-3"};
  LogError err{"ParseError", "bad \"quote\"\nnext", ""};
  log.Log(LogLevel::kError, "User login failed", &ctx,
          {{"loginMethod", "google"}, {"attempt", 3}, {"ok", false}, {"ratio", 0.5}}, &err);
  ASSERT_EQ(sink->Lines().size(), 1u);
  rapidjson::Document d = ParseLine(sink->Lines()[0]);
  EXPECT_STREQ(d["timestamp"].GetString(), "2025-11-27T05:02:35.123Z");
  EXPECT_STREQ(d["level"].GetString(), "ERROR");
  EXPECT_STREQ(d["service"].GetString(), "hastewatch");
  EXPECT_STREQ(d["correlationId"].GetString(), "req-1");
  EXPECT_STREQ(d["userId"].GetString(), "user-7");
  EXPECT_STREQ(d["workspaceId"].GetString(), "ws-3");
  EXPECT_STREQ(d["message"].GetString(), "User login failed");
  EXPECT_STREQ(d["metadata"]["loginMethod"].GetString(), "google");
  EXPECT_EQ(d["metadata"]["attempt"].GetInt(), 3);
  EXPECT_FALSE(d["metadata"]["ok"].GetBool());
  EXPECT_STREQ(d["error"]["message"].GetString(), "bad \"quote\"\nnext");
  EXPECT_FALSE(d["error"].HasMember("stack"));
}

TEST(LoggerTest, OmitsOptionalFieldsAndUsesInstanceIdOutsideRequests) {
  auto sink = std::make_shared<MemoryLogSink>();
  Logger log("hw", LogLevel::kInfo, sink);
  log.Info("started");
  rapidjson::Document d = ParseLine(sink->Lines()[0]);
  EXPECT_FALSE(d.HasMember("userId"));
  EXPECT_FALSE(d.HasMember("metadata"));
  EXPECT_FALSE(d.HasMember("error"));
  EXPECT_EQ(d["correlationId"].GetString(), log.instance_id());
}

TEST(LoggerTest, FiltersByLevel) {
  auto sink = std::make_shared<MemoryLogSink>();
  Logger log("hw", LogLevel::kWarn, sink);
  log.Info("dropped");
  log.Debug("dropped");
  log.Warn("kept");
  log.Error("kept");
  EXPECT_EQ(sink->Lines().size(), 2u);
  log.SetLevel(LogLevel::kTrace);
  log.Log(LogLevel::kTrace, "now kept", nullptr, {});
  EXPECT_EQ(sink->Lines().size(), 3u);
}

TEST(LoggerTest, LevelsAndEnvironmentDefaults) {
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarn);
  EXPECT_EQ(*ParseLogLevel("DEBUG"), LogLevel::kDebug);
  EXPECT_FALSE(ParseLogLevel("loud").ok());
  EXPECT_EQ(*DefaultLogLevel("production"), LogLevel::kInfo);
  EXPECT_EQ(*DefaultLogLevel("staging"), LogLevel::kDebug);
  EXPECT_EQ(*DefaultLogLevel("development"), LogLevel::kDebug);
  EXPECT_FALSE(DefaultLogLevel("prod").ok());
}

TEST(LoggerTest, NonFiniteMetadataStaysValidJson) {
  auto sink = std::make_shared<MemoryLogSink>();
  Logger log("hw", LogLevel::kInfo, sink);
  log.Info("x", {{"v", std::numeric_limits<double>::quiet_NaN()}});
  rapidjson::Document d = ParseLine(sink->Lines()[0]);
  EXPECT_STREQ(d["metadata"]["v"].GetString(), "nan");
}

}  // namespace
}  // namespace hw
