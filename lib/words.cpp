#include "lib/words.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

std::size_t stoi(char c) {
    if (c == '.') return 0;
    if (c >= 'a' && c <= 'z') return static_cast<std::size_t>(c - 'a') + 1;
    throw ValueError(fmt::format("character 0x{:02x} is not in the vocabulary ('.' and a-z)",
                                 static_cast<unsigned char>(c)));
}

char itos(std::size_t i) {
    if (i >= kVocabSize) throw IndexError(fmt::format("index {} is not in the vocabulary (0 to 26)", i));
    return i == 0 ? '.' : static_cast<char>('a' + i - 1);
}

std::vector<std::string> read_words(const std::string& path) {
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
                    path, n, c >= 0x20 && c < 0x7F ? fmt::format("'{}'", static_cast<char>(c)) : fmt::format("0x{:02x}", c),
                    k + 1));
        }
        words.push_back(line);
    }
    if (words.empty()) throw DataError(fmt::format("{}: the file holds no words (expected one word per line)", path));
    return words;
}

}  // namespace wb
