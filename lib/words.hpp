#pragma once
// Word lists for the character-level lessons (makemore's names.txt), and their
// 27-symbol vocabulary: '.' marks the start and the end of a word, then 'a'...'z'.
#include <cstddef>
#include <string>
#include <vector>

namespace wb {

// Reads one word per line (lowercase a-z). A missing or empty file, an empty line
// or a character outside a-z throws DataError naming the file and line.
std::vector<std::string> read_words(const std::string& path);

// makemore's stoi and itos: '.' is 0, 'a' is 1, ..., 'z' is 26.
constexpr std::size_t kVocabSize = 27;
std::size_t stoi(char c);   // ValueError for a character outside the vocabulary
char itos(std::size_t i);   // IndexError for i >= 27

}  // namespace wb
