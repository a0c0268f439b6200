#include "lib/words.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

std::size_t stoi(char c) {
    if (c == '.') return 0;
    if (c >= 'a' && c <= 'z') return static_cast<std::size_t>(c - 'a') + 1;
    const auto byte = static_cast<unsigned char>(c);
    throw ValueError(fmt::format("character {} is not in the vocabulary ('.' and a-z)",
                                 byte >= 0x20 && byte < 0x7F ? fmt::format("'{}'", c) : fmt::format("0x{:02x}", byte)));
}

char itos(std::size_t i) {
    if (i >= kVocabSize) throw IndexError(fmt::format("index {} is not in the vocabulary (0 to 26)", i));
    return i == 0 ? '.' : static_cast<char>('a' + i - 1);
}

namespace {
// The character at byte k of line for an error message: 'A', 0x09 for a control
// byte, and a UTF-8 letter whole with its bytes: 'ë' (UTF-8 c3 ab).
std::string shown_character(const std::string& line, std::size_t k) {
    const auto c = static_cast<unsigned char>(line[k]);
    if (c >= 0x20 && c < 0x7F) return fmt::format("'{}'", static_cast<char>(c));
    const std::size_t length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    bool whole = length > 1 && k + length <= line.size();
    for (std::size_t i = 1; whole && i < length; ++i) whole = (static_cast<unsigned char>(line[k + i]) & 0xC0) == 0x80;
    if (!whole) return fmt::format("0x{:02x}", c);
    std::string bytes;
    for (std::size_t i = 0; i < length; ++i) bytes += fmt::format("{}{:02x}", i ? " " : "", static_cast<unsigned char>(line[k + i]));
    return fmt::format("'{}' (UTF-8 {})", line.substr(k, length), bytes);
}
}  // namespace

std::vector<std::string> read_words(const std::string& path) {
    if (path.empty()) throw DataError("the word list's name is empty (expected the path of a text file)");
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw DataError(fmt::format("{}: is a folder, not a word list (expected a text file, one word per line)", path));
    std::ifstream in(path);
    if (!in) throw DataError(fmt::format("{}: cannot open the word list ({})", path, std::strerror(errno)));
    std::vector<std::string> words;
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();  // a file saved on Windows
        if (line.empty()) throw DataError(fmt::format("{}:{}: empty line (expected one word per line)", path, n));
        for (std::size_t k = 0; k < line.size(); ++k) {
            const unsigned char c = static_cast<unsigned char>(line[k]);
            if (c < 'a' || c > 'z')
                throw DataError(fmt::format(
                    "{}:{}: character {} at column {} is not a lowercase letter a-z (the vocabulary is '.' and a-z)",
                    path, n, shown_character(line, k), k + 1));
        }
        words.push_back(line);
    }
    if (words.empty()) throw DataError(fmt::format("{}: the file holds no words (expected one word per line)", path));
    return words;
}

}  // namespace wb
