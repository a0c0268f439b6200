#include "lib/reference_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {
namespace {

std::vector<std::string> split(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

[[noreturn]] void fail(const ReferenceRecord& r, const std::string& what) {
    throw DataError(fmt::format("{}:{}: record [{}]: {}", r.file, r.line, r.name, what));
}

}  // namespace

const std::string& ReferenceRecord::field(const std::string& key) const {
    const auto it = fields.find(key);
    if (it == fields.end()) fail(*this, fmt::format("has no '{}' field", key));
    return it->second;
}

std::int64_t ReferenceRecord::integer(const std::string& key) const {
    const std::string& s = field(key);
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno != 0) fail(*this, fmt::format("'{}' is not an integer: '{}'", key, s));
    return v;
}

float ReferenceRecord::float32(const std::string& key) const {
    const std::string& s = field(key);
    char* end = nullptr;
    errno = 0;
    const float v = std::strtof(s.c_str(), &end);
    if (s.empty() || *end != '\0' || errno != 0) fail(*this, fmt::format("'{}' is not a float: '{}'", key, s));
    return v;
}

Shape ReferenceRecord::shape() const {
    Shape shape;
    for (const std::string& w : split(field("shape"))) {
        char* end = nullptr;
        const unsigned long long d = std::strtoull(w.c_str(), &end, 10);
        if (*end != '\0' || w[0] == '-') fail(*this, fmt::format("shape size '{}' is not a non-negative integer", w));
        shape.push_back(d);
    }
    return shape;
}

Tensor ReferenceRecord::tensor() const {
    const std::string& dtype = field("dtype");
    std::vector<float> values;
    if (dtype == "int64" || dtype == "int32") {
        for (std::int64_t v : int_values()) values.push_back(static_cast<float>(v));
        return Tensor(shape(), std::move(values));
    }
    if (dtype != "float32") fail(*this, fmt::format("dtype is {}, not float32, int32 or int64", dtype));
    for (const std::string& w : split(field("values"))) {
        char* end = nullptr;
        const float v = std::strtof(w.c_str(), &end);  // reads hex floats, inf and nan
        if (*end != '\0') fail(*this, fmt::format("'{}' is not a number", w));
        values.push_back(v);
    }
    const Shape s = shape();
    if (values.size() != numel(s))
        fail(*this, fmt::format("shape {} needs {} values, found {}", to_string(s), numel(s), values.size()));
    return Tensor(s, std::move(values));
}

std::vector<std::int64_t> ReferenceRecord::int_values() const {
    if (field("dtype") != "int64" && field("dtype") != "int32")
        fail(*this, fmt::format("dtype is {}, not int64 or int32", field("dtype")));
    std::vector<std::int64_t> values;
    for (const std::string& w : split(field("values"))) {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(w.c_str(), &end, 10);
        if (*end != '\0' || errno != 0) fail(*this, fmt::format("'{}' is not an integer", w));
        values.push_back(v);
    }
    if (values.size() != numel(shape()))
        fail(*this, fmt::format("shape {} needs {} values, found {}", to_string(shape()), numel(shape()), values.size()));
    return values;
}

std::string ReferenceRecord::printed() const {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) out += (i ? "\n" : "") + text[i];
    return out;
}

ReferenceFile::ReferenceFile(const std::string& path) : path_(path) {
    std::ifstream in(path);
    if (!in)
        throw DataError(fmt::format("{}: cannot open ({}); regenerate it with the script of the same name in data/reference/",
                                    path, std::strerror(errno)));
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (n == 1) header_ = line;
        if (line.empty() || line[0] == '#') continue;
        if (line.front() == '[') {
            if (line.back() != ']') throw DataError(fmt::format("{}:{}: a record name must end with ']'", path, n));
            records_.push_back(ReferenceRecord{path, line.substr(1, line.size() - 2), n, {}, {}});
            continue;
        }
        if (records_.empty()) throw DataError(fmt::format("{}:{}: a field before the first [record]", path, n));
        ReferenceRecord& r = records_.back();
        const std::size_t space = line.find(' ');
        const std::string key = line.substr(0, space);
        const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
        r.fields[key] = value;
        if (key == "text") {
            const std::int64_t count = r.integer("text");
            for (std::int64_t i = 0; i < count; ++i) {
                if (!std::getline(in, line))
                    throw DataError(fmt::format("{}:{}: record [{}] ends inside its text block", path, n, r.name));
                ++n;
                r.text.push_back(line);
            }
        }
    }
    if (records_.empty()) throw DataError(fmt::format("{}: no records found", path));
}

const ReferenceRecord& ReferenceFile::operator[](const std::string& name) const {
    for (const ReferenceRecord& r : records_)
        if (r.name == name) return r;
    throw DataError(fmt::format("{}: no record named [{}]; regenerate the file with its script", path_, name));
}

bool ReferenceFile::contains(const std::string& name) const {
    return std::any_of(records_.begin(), records_.end(), [&](const ReferenceRecord& r) { return r.name == name; });
}

}  // namespace wb
