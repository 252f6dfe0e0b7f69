#include "tsdb/block_meta.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tsdb/mmap.h"
#include "tsdb/ulid.h"

namespace hw::tsdb {

std::string EncodeBlockMeta(const BlockMeta& meta) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto strings = [&](const std::vector<std::string>& list) {
    w.StartArray();
    for (const std::string& s : list) w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    w.EndArray();
  };
  w.StartObject();
  w.Key("ulid");
  w.String(meta.ulid.c_str());
  w.Key("minTime");
  w.Int64(meta.min_time);
  w.Key("maxTime");
  w.Int64(meta.max_time);
  w.Key("stats");
  w.StartObject();
  w.Key("numSamples");
  w.Uint64(meta.stats.num_samples);
  w.Key("numSeries");
  w.Uint64(meta.stats.num_series);
  w.Key("numChunks");
  w.Uint64(meta.stats.num_chunks);
  w.Key("numBytes");
  w.Uint64(meta.stats.num_bytes);
  w.EndObject();
  w.Key("compaction");
  w.StartObject();
  w.Key("level");
  w.Int(meta.compaction.level);
  w.Key("sources");
  strings(meta.compaction.sources);
  w.Key("parents");
  strings(meta.compaction.parents);
  w.EndObject();
  w.Key("version");
  w.Int(meta.version);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

Result<BlockMeta> DecodeBlockMeta(std::string_view json, std::string_view source) {
  auto bad = [&](std::string_view why) {
    return Status::Internal(fmt::format("cannot parse {}: {}", source, why));
  };
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) return bad(fmt::format("invalid JSON at offset {}", doc.GetErrorOffset()));
  if (!doc.IsObject()) return bad("not a JSON object");
  BlockMeta m;
  auto get_i64 = [&](const rapidjson::Value& obj, const char* key, std::int64_t* out) {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || !it->value.IsInt64()) return false;
    *out = it->value.GetInt64();
    return true;
  };
  auto get_u64 = [&](const rapidjson::Value& obj, const char* key, std::uint64_t* out) {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd()) return true;  // optional stats
    if (!it->value.IsUint64()) return false;
    *out = it->value.GetUint64();
    return true;
  };
  auto get_strings = [&](const rapidjson::Value& obj, const char* key, std::vector<std::string>* out) {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd()) return true;
    if (!it->value.IsArray()) return false;
    for (const auto& v : it->value.GetArray()) {
      if (!v.IsString()) return false;
      out->emplace_back(v.GetString(), v.GetStringLength());
    }
    return true;
  };
  auto ulid = doc.FindMember("ulid");
  if (ulid == doc.MemberEnd() || !ulid->value.IsString()) return bad("missing \"ulid\"");
  m.ulid.assign(ulid->value.GetString(), ulid->value.GetStringLength());
  auto parsed = Ulid::Parse(m.ulid);
  if (!parsed.ok()) return bad(parsed.status().message());
  if (!get_i64(doc, "minTime", &m.min_time)) return bad("missing or invalid \"minTime\"");
  if (!get_i64(doc, "maxTime", &m.max_time)) return bad("missing or invalid \"maxTime\"");
  std::int64_t version = 0;
  if (!get_i64(doc, "version", &version)) return bad("missing \"version\"");
  if (version != BlockMeta::kVersion) return bad(fmt::format("unsupported version {}", version));
  m.version = static_cast<int>(version);
  if (auto it = doc.FindMember("stats"); it != doc.MemberEnd()) {
    const auto& s = it->value;
    if (!s.IsObject() || !get_u64(s, "numSamples", &m.stats.num_samples) ||
        !get_u64(s, "numSeries", &m.stats.num_series) ||
        !get_u64(s, "numChunks", &m.stats.num_chunks) ||
        !get_u64(s, "numBytes", &m.stats.num_bytes)) {
      return bad("invalid \"stats\"");
    }
  }
  if (auto it = doc.FindMember("compaction"); it != doc.MemberEnd()) {
    const auto& c = it->value;
    std::int64_t level = 1;
    if (!c.IsObject() || !get_i64(c, "level", &level) || level < 1 ||
        !get_strings(c, "sources", &m.compaction.sources) ||
        !get_strings(c, "parents", &m.compaction.parents)) {
      return bad("invalid \"compaction\"");
    }
    m.compaction.level = static_cast<int>(level);
  }
  return m;
}

Status WriteBlockMeta(const std::string& dir, const BlockMeta& meta) {
  std::string json = EncodeBlockMeta(meta);
  std::string path = dir + "/" + kMetaFileName;
  auto bytes = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(json.data()),
                                             json.size());
  HW_RETURN_IF_ERROR(WriteFileSynced(path + ".tmp", bytes));
  return RenameSynced(path + ".tmp", path);
}

Result<BlockMeta> ReadBlockMeta(const std::string& dir) {
  std::string path = dir + "/" + kMetaFileName;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("cannot read {}: no such file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return DecodeBlockMeta(ss.str(), path);
}

}  // namespace hw::tsdb
