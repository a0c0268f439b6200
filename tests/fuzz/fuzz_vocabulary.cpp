// Fuzz target: the vocabulary (stoi, itos) and the datasets built from words that
// did not come through read_words: any bytes, split at '\n'. The first two bytes
// choose the block sizes, the last ones the rows a minibatch gathers.
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
    if (size < 2) return 0;
    const std::size_t ngram_block = data[0] % 12;         // 0 is a ValueError
    const std::size_t sequence_block = data[1] % 40;      // 0 takes the longest word plus one
    const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);

    for (unsigned char c : text)
        fuzz::expect_wb_errors([&] {
            if (itos(stoi(static_cast<char>(c))) != static_cast<char>(c)) fuzz::finding("itos(stoi(c)) != c", "");
        });
    fuzz::expect_wb_errors([&] { itos(static_cast<std::size_t>(data[0]) * data[1]); });

    std::vector<std::string> words;
    for (std::size_t start = 0;;) {
        const std::size_t end = text.find('\n', start);
        words.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    // Rows to gather: the last bytes as signed indices, some out of range.
    std::vector<std::int64_t> ix;
    for (std::size_t k = size > 4 ? size - 4 : 0; k < size; ++k) ix.push_back(static_cast<std::int8_t>(data[k]));

    fuzz::expect_wb_errors([&] {
        const NgramDataset d = build_dataset(words, ngram_block);
        std::vector<std::size_t> Xb, Yb;
        d.gather(ix, Xb, Yb);
    });
    fuzz::expect_wb_errors([&] {
        const SequenceDataset d = build_sequences(words, sequence_block);
        std::vector<std::size_t> Xb;
        std::vector<std::int64_t> Yb;
        d.gather(ix, Xb, Yb);
        if (count_targets(d.Y) != d.num_targets) fuzz::finding("count_targets != num_targets", "");
    });
    return 0;
}
