#include "lib/embeddings_file.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {
namespace {

// Shows a field in an error message with unprintable bytes escaped.
std::string quote_field(const std::string& s) {
    std::string out = "'";
    for (unsigned char c : s) out += (c >= 0x20 && c < 0x7F) || c >= 0x80 ? std::string(1, static_cast<char>(c))
                                                                          : fmt::format("\\x{:02x}", c);
    return out + "'";
}

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line) {
        if (c == ' ' || c == '\t' || c == ',' || c == '\r') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// std::errc() when s is a whole float; result_out_of_range when it is a number
// float32 cannot hold (1e40); invalid_argument otherwise.
std::errc parse_float(const std::string& s, float& v) {
    const char* first = s.data() + (s.size() > 1 && s[0] == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(first, s.data() + s.size(), v);
    if (end != s.data() + s.size()) return std::errc::invalid_argument;
    return ec;
}

}  // namespace

Embeddings read_embeddings(const std::string& path) {
    if (path.empty()) throw DataError("the embeddings file's name is empty (expected the path of a text file)");
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw DataError(fmt::format("{}: is a folder, not an embeddings file (expected a text file, one embedding per "
                                    "line)", path));
    std::ifstream in(path);
    if (!in) throw DataError(fmt::format("{}: cannot open the embeddings file ({})", path, std::strerror(errno)));

    Embeddings out;
    std::vector<float> values;
    std::size_t dim = 0, first_line = 0, n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        std::vector<std::string> f = fields(line);
        if (f.empty() || f[0][0] == '#') continue;
        float v = 0;
        std::string token;
        if (parse_float(f[0], v) == std::errc::invalid_argument) {
            token = f[0];
            f.erase(f.begin());
            if (f.empty())
                throw DataError(fmt::format("{}:{}: token {} has no numbers after it (expected: token, then the "
                                            "embedding's values)", path, n, quote_field(token)));
        }
        for (const std::string& s : f) {
            const std::errc parsed = parse_float(s, v);
            if (parsed == std::errc::result_out_of_range)
                throw DataError(fmt::format("{}:{}: {} is too large for a float32 (expected numbers within about "
                                            "+-3.4e38)", path, n, quote_field(s)));
            if (parsed != std::errc())
                throw DataError(fmt::format("{}:{}: {} is not a number (expected an optional token, then numbers)",
                                            path, n, quote_field(s)));
            if (!std::isfinite(v))
                throw DataError(fmt::format("{}:{}: {} is not a finite number", path, n, quote_field(s)));
            values.push_back(v);
        }
        if (dim == 0) {
            dim = f.size();
            first_line = n;
        } else if (f.size() != dim) {
            throw DataError(fmt::format("{}:{}: this row has {} value{}, but the row on line {} has {} "
                                        "(every embedding needs the same dimension)",
                                        path, n, f.size(), f.size() == 1 ? "" : "s", first_line, dim));
        }
        out.tokens.push_back(token.empty() ? fmt::format("x({})", out.tokens.size() + 1) : token);
    }
    if (in.bad()) throw DataError(fmt::format("{}: read error after line {}", path, n));
    if (out.tokens.empty())
        throw DataError(fmt::format("{}: no embeddings found (expected one per line: an optional token, then numbers)",
                                    path));
    out.vectors = Tensor({out.tokens.size(), dim}, std::move(values));
    return out;
}

}  // namespace wb
