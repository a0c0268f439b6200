// Fuzz target: a word list file (names.txt: one lowercase word per line), then
// what the lessons build from it: the n-gram and the sequence datasets, the split.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/ngram_dataset.hpp"
#include "lib/sequence_dataset.hpp"
#include "lib/words.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace wb;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = fuzz::as_file(data, size);
    fuzz::expect_wb_errors([&] {
        const std::vector<std::string> words = read_words(path);
        std::size_t characters = 0;  // and the '.' after each word
        for (const std::string& w : words) {
            if (w.empty()) fuzz::finding("read_words kept an empty word", "");
            for (char c : w)
                if (itos(stoi(c)) != c) fuzz::finding("read_words kept a character outside the vocabulary", w);
            characters += w.size() + 1;
        }
        const NgramDataset ngrams = build_dataset(words, 3);
        if (ngrams.size() != characters || ngrams.X.size() != 3 * characters)
            fuzz::finding("build_dataset: one example per character and per word end", "");
        const SequenceDataset rows = build_sequences(words);
        if (rows.size() != words.size() || rows.num_targets != characters)
            fuzz::finding("build_sequences: one row per word, one target per character and word end", "");
        const WordSplit split = split_words(words);
        if (split.train.size() + split.dev.size() + split.test.size() != words.size())
            fuzz::finding("split_words lost or made up words", "");
    });
    return 0;
}
