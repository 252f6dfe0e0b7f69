// RedactConfig: the config text /api/v1/status/config shows, secrets replaced.
#include <algorithm>
#include <cctype>
#include <string>

#include "api/status.h"

namespace hw::api {
namespace {

constexpr std::string_view kSecret = "<secret>";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Keys whose value is a secret. Their indirections (token_file, password_file,
// token_env, ...) name where the secret is and stay visible, as in Prometheus.
bool IsSecretKey(std::string_view key) {
  std::string k = Lower(key);
  if (k.ends_with("_file") || k.ends_with("_env")) return false;
  return k == "token" || k.ends_with("_token") || k.find("password") != std::string::npos ||
         k.find("secret") != std::string::npos || k == "credentials" || k.ends_with("_key") ||
         k == "api_url" || k == "webhook_url";
}

std::size_t Indent(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

bool Blank(std::string_view line) { return Indent(line) == line.size(); }

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// The end of the quoted string starting at `i` (one past the closing quote).
std::size_t SkipQuoted(const std::string& line, std::size_t i) {
  char q = line[i];
  for (std::size_t j = i + 1; j < line.size(); ++j) {
    if (q == '"' && line[j] == '\\') {
      ++j;
    } else if (line[j] == q) {
      if (q == '\'' && j + 1 < line.size() && line[j + 1] == '\'') {
        ++j;  // '' is an escaped quote in single-quoted YAML
        continue;
      }
      return j + 1;
    }
  }
  return line.size();
}

// Redacts the secret values on one line. Returns true when a secret key opens a
// block scalar (`|` or `>`) whose more-indented lines that follow must be dropped.
bool RedactLine(std::string* line) {
  std::string& s = *line;
  bool flow = false;
  bool block = false;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) break;  // comment
    if (c == '"' || c == '\'') {
      i = SkipQuoted(s, i);
      continue;
    }
    if (c == '{' || c == '[') flow = true;
    bool key_start = IsKeyChar(c) && (i == 0 || std::string_view(" \t{,[-").find(s[i - 1]) !=
                                                    std::string_view::npos);
    if (!key_start) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && IsKeyChar(s[j])) ++j;
    std::string_view key(s.data() + i, j - i);
    std::size_t colon = j;
    while (colon < s.size() && s[colon] == ' ') ++colon;
    bool is_key = colon < s.size() && s[colon] == ':' &&
                  (colon + 1 == s.size() || s[colon + 1] == ' ' || s[colon + 1] == '\t');
    if (!is_key || !IsSecretKey(key)) {
      i = j;
      continue;
    }
    std::size_t v = colon + 1;
    while (v < s.size() && (s[v] == ' ' || s[v] == '\t')) ++v;
    if (v == s.size() || s[v] == '#') {  // value on the following lines: leave the key
      i = v;
      continue;
    }
    std::size_t v_end;
    if (s[v] == '|' || s[v] == '>') {
      v_end = s.size();
      block = true;
    } else if (s[v] == '"' || s[v] == '\'') {
      v_end = SkipQuoted(s, v);
    } else {
      v_end = v;
      while (v_end < s.size() &&
             !(flow && (s[v_end] == ',' || s[v_end] == '}' || s[v_end] == ']')) &&
             !(s[v_end] == '#' && (s[v_end - 1] == ' ' || s[v_end - 1] == '\t'))) {
        ++v_end;
      }
      while (v_end > v && (s[v_end - 1] == ' ' || s[v_end - 1] == '\t')) --v_end;
    }
    s.replace(v, v_end - v, kSecret);
    i = v + kSecret.size();
  }
  return block;
}

}  // namespace

std::string RedactConfig(std::string_view yaml, const std::vector<std::string>& secrets) {
  std::string out;
  out.reserve(yaml.size());
  bool skipping = false;  // inside a redacted block scalar
  std::size_t block_indent = 0;
  std::size_t pos = 0;
  while (pos < yaml.size()) {
    std::size_t nl = yaml.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? yaml.size() : nl + 1;
    bool newline = nl != std::string_view::npos;
    std::string line(yaml.substr(pos, end - pos - (newline ? 1 : 0)));
    pos = end;
    if (skipping && (Blank(line) || Indent(line) > block_indent)) continue;
    skipping = false;
    std::size_t indent = Indent(line);
    if (RedactLine(&line)) {
      skipping = true;
      block_indent = indent;
    }
    out += line;
    if (newline) out.push_back('\n');
  }
  // The API tokens wherever else they appear (short ones are only redacted by key,
  // so that a tiny token cannot blank out ordinary words).
  for (const std::string& secret : secrets) {
    if (secret.size() < 8) continue;
    for (std::size_t at = out.find(secret); at != std::string::npos;
         at = out.find(secret, at + kSecret.size())) {
      out.replace(at, secret.size(), kSecret);
    }
  }
  return out;
}

}  // namespace hw::api
