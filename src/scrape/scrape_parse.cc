#include "scrape/scrape_parse.h"

#include <algorithm>

#include <fmt/format.h>

namespace hw::scrape {
namespace {

// Prometheus' verifyLabelLimits, with its messages.
Status CheckLabelLimits(const model::Labels& l, const config::ScrapeConfig& c) {
  std::string_view metric = l.MetricName().substr(0, 50);
  if (c.label_limit > 0 && l.size() > c.label_limit) {
    return Status::BadData(fmt::format(
        "label_limit exceeded (metric: {}, number of labels: {}, limit: {})", metric, l.size(),
        c.label_limit));
  }
  for (const model::Label& x : l) {
    if (c.label_name_length_limit > 0 && x.name.size() > c.label_name_length_limit) {
      return Status::BadData(fmt::format(
          "label_name_length_limit exceeded (metric: {}, label name: {}, length: {}, limit: {})",
          metric, x.name.substr(0, 50), x.name.size(), c.label_name_length_limit));
    }
    if (c.label_value_length_limit > 0 && x.value.size() > c.label_value_length_limit) {
      return Status::BadData(fmt::format(
          "label_value_length_limit exceeded (metric: {}, label name: {}, value: \"{}\", "
          "length: {}, limit: {})",
          metric, x.name.substr(0, 50), x.value.substr(0, 50), x.value.size(),
          c.label_value_length_limit));
    }
  }
  return Status::Ok();
}

std::string SeriesKey(const SampleView& s) {
  std::string key(s.name);
  for (const LabelView& l : s.labels) {
    key += '\xff';
    key += l.name;
    key += '\xff';
    key += l.value;
  }
  return key;
}

}  // namespace

const model::Labels* LabelCache::Find(const std::string& key) {
  if (auto it = current_.find(key); it != current_.end()) return &it->second;
  auto it = previous_.find(key);
  if (it == previous_.end()) return nullptr;
  auto [ins, unused] = current_.emplace(key, std::move(it->second));
  previous_.erase(it);
  return &ins->second;
}

void LabelCache::Insert(std::string key, model::Labels labels) {
  current_.insert_or_assign(std::move(key), std::move(labels));
}

void LabelCache::EndScrape() {
  previous_.clear();
  previous_.swap(current_);
}

model::Labels AddTargetLabels(const model::Labels& exposed, const model::Labels& target,
                              bool honor) {
  model::LabelsBuilder b(exposed);
  if (honor) {
    for (const model::Label& l : target) {
      if (!exposed.Has(l.name)) b.Set(l.name, l.value);
    }
    return b.Build();
  }
  std::vector<model::Label> conflicts;
  for (const model::Label& l : target) {
    std::string_view existing = exposed.Get(l.name);
    if (!existing.empty()) conflicts.push_back({l.name, existing});
    b.Set(l.name, l.value);
  }
  std::stable_sort(conflicts.begin(), conflicts.end(),
                   [](const model::Label& a, const model::Label& c) {
                     return a.name.size() < c.name.size();
                   });
  for (const model::Label& l : conflicts) {
    std::string name(l.name);
    for (;;) {
      name = "exported_" + name;
      if (b.Get(name).empty()) {
        b.Set(name, l.value);
        break;
      }
    }
  }
  return b.Build();
}

Status ParseScrape(std::string_view body, Format format, const ParseParams& params,
                   LabelCache* cache, ScrapeBatch* batch) {
  const config::ScrapeConfig& cfg = *params.config;
  std::unique_ptr<Parser> parser = NewParser(body, format);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (;;) {
    Result<Entry> e = parser->Next();
    if (!e.ok()) return e.status();
    if (*e == Entry::kEof) break;
    switch (*e) {
      case Entry::kType:
        batch->metadata.SetType(parser->metadata().family, parser->metadata().type);
        continue;
      case Entry::kHelp:
        batch->metadata.SetHelp(parser->metadata().family, parser->metadata().text);
        continue;
      case Entry::kUnit:
        batch->metadata.SetUnit(parser->metadata().family, parser->metadata().text);
        continue;
      case Entry::kSample: break;
      default: continue;
    }
    const SampleView& s = parser->sample();
    if (s.created) continue;  // as Prometheus without created-timestamp ingestion
    ++batch->scraped;
    std::string key = SeriesKey(s);
    const model::Labels* final_labels = cache->Find(key);
    if (final_labels == nullptr) {
      pairs.clear();
      pairs.emplace_back(model::kMetricName, s.name);
      for (const LabelView& l : s.labels) pairs.emplace_back(l.name, l.value);
      model::Labels labels = AddTargetLabels(model::Labels::FromPairs(pairs),
                                             *params.target_labels, cfg.honor_labels);
      model::Labels relabeled;
      if (params.metric_relabel->empty()) {
        relabeled = std::move(labels);
      } else {
        params.metric_relabel->Process(labels, &relabeled);
      }
      if (!relabeled.empty()) {
        if (Status st = CheckLabelLimits(relabeled, cfg); !st.ok()) return st;
      }
      cache->Insert(key, std::move(relabeled));
      final_labels = cache->Find(key);
    }
    if (final_labels->empty()) continue;  // dropped by metric_relabel_configs
    ++batch->post_relabel;
    if (cfg.sample_limit > 0 && batch->post_relabel > cfg.sample_limit) {
      batch->sample_limit_exceeded = true;
      return Status::BadData("sample limit exceeded");
    }
    ScrapedSample out;
    out.labels = *final_labels;
    out.v = s.value;
    if (cfg.honor_timestamps && s.timestamp_ms) {
      out.t = *s.timestamp_ms;
      out.explicit_timestamp = true;
    } else {
      out.t = params.default_timestamp;
    }
    batch->samples.push_back(std::move(out));
  }
  cache->EndScrape();
  return Status::Ok();
}

}  // namespace hw::scrape
