// Lesson 01: a bigram language model by counting.
// Follows Andrej Karpathy's makemore, part 1 ("The spelled-out intro to language
// modeling"): count which character follows which in 32,033 names, turn the counts
// into probabilities, sample new names, and measure the model by its likelihood.
//
//   ./workbook run 01                    the walkthrough on data/names.txt
//   ./workbook run 01 --samples 20       more names
//   ./workbook run 01 --data words.txt   your own word list
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/model.hpp"
#include "lib/ops.hpp"
#include "lib/print.hpp"
#include "lib/random.hpp"
#include "lib/words.hpp"
#include "lib/yours.hpp"

using namespace wb;

namespace {

// The 27x27 counts as a grid a terminal can show: one row per first character.
void print_count_grid(const Tensor& N) {
    std::string header = "   ";
    for (std::size_t j = 0; j < kVocabSize; ++j) header += fmt::format("{:>5}", itos(j));
    note(header);
    for (std::size_t i = 0; i < kVocabSize; ++i) {
        std::string line = fmt::format("{:>3}", itos(i));
        for (std::size_t j = 0; j < kVocabSize; ++j) line += fmt::format("{:>5}", static_cast<long>(N(i, j)));
        note(line);
    }
}

// The log-likelihood of every bigram of every word, accumulated in float32 as the
// walkthrough's Python loop does (a tensor += one bigram at a time).
struct Likelihood {
    float log_likelihood = 0.0f;
    int n = 0;
};
Likelihood likelihood(const Tensor& P, const std::vector<std::string>& words) {
    Likelihood l;
    for (const std::string& w : words) {
        const std::string chs = "." + w + ".";
        for (std::size_t k = 0; k + 1 < chs.size(); ++k) {
            l.log_likelihood += std::log(P(stoi(chs[k]), stoi(chs[k + 1])));
            ++l.n;
        }
    }
    return l;
}

}  // namespace

int main(int argc, char** argv) {
    std::string data = WB_SOURCE_DIR "/data/names.txt";
    std::uint64_t seed = 2147483647;
    int samples = 5;
    int smoothing = 1;
    Flags flags("lesson01", "Lesson 01: a bigram language model by counting (makemore, part 1)");
    flags.add("--data", data, "FILE", "word list to learn from, one lowercase word per line");
    flags.add("--seed", seed, "SEED", "seed of the generator the names are sampled with");
    flags.add("--samples", samples, "N", "how many names to sample");
    flags.add("--smoothing", smoothing, "K", "add K to every count before normalising (0 turns smoothing off)");
    flags.parse(argc, argv);

    return run_lesson([&] {
        if (samples < 0) throw ValueError(fmt::format("--samples {} is negative: give 0 or more", samples));
        if (smoothing < 0) throw ValueError(fmt::format("--smoothing {} is negative: give 0 or more", smoothing));
        const std::vector<std::string> words = read_words(data);
        // With `./workbook run 01 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();

        section("The data");
        const auto [shortest, longest] = std::minmax_element(
            words.begin(), words.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
        note(fmt::format("{} words; the shortest has {} characters, the longest {}", words.size(), shortest->size(),
                         longest->size()));
        std::vector<std::string> first(words.begin(), words.begin() + std::min<std::size_t>(10, words.size()));
        note(fmt::format("the first ones: {}", fmt::join(first, ", ")));

        section("Counting bigrams");
        const auto count_bigrams = [](const std::vector<std::string>& names) {
            Tensor counts = zeros({kVocabSize, kVocabSize});
            for (const std::string& w : names) {
                const std::string chs = "." + w + ".";  // '.' marks where a word starts and ends
                for (std::size_t k = 0; k + 1 < chs.size(); ++k) counts(stoi(chs[k]), stoi(chs[k + 1])) += 1.0f;
            }
            return counts;
        };
        const Tensor N = yours.step("1.1", count_bigrams, words);

        heading("The most frequent bigrams ('.' is the start or the end of a word)");
        std::vector<std::size_t> order(N.numel());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return N.values()[a] > N.values()[b]; });
        for (std::size_t k = 0; k < 10; ++k)
            note(fmt::format("{}{} {}", itos(order[k] / kVocabSize), itos(order[k] % kVocabSize),
                             static_cast<long>(N.values()[order[k]])));

        heading("N: how often the column's character follows the row's");
        print_count_grid(N);

        heading("The row of '.', N[0]: how often each character starts a word");
        std::vector<std::int32_t> row0;
        for (float c : N.row(0).values()) row0.push_back(static_cast<std::int32_t>(c));
        note(format_int32({kVocabSize}, row0));

        heading("As probabilities: p = N[0] / N[0].sum()");
        const Tensor p = N.row(0) / sum(N.row(0));
        print(p);

        section("Sampling from the model");
        heading(fmt::format("P = (N + {}) with every row divided by its sum", smoothing));
        const auto normalize_rows = [](const Tensor& counts, float k) {
            const Tensor smoothed = counts + k;
            return smoothed / sum(smoothed, 1, /*keepdim=*/true);
        };
        const Tensor P = yours.step("1.2", normalize_rows, N, static_cast<float>(smoothing));
        print("P[0] =", P.row(0));

        heading(fmt::format("{} names, one character at a time (generator seeded {})", samples, seed));
        Generator g(seed);
        // From '.', draw the next character from its row of P, until '.' comes again.
        for (int s = 0; s < samples; ++s) note(sample_bigram(P, g));

        section("How good is the model?");
        heading("The log-likelihood of every bigram in the data");
        const Likelihood l = likelihood(P, words);
        print("log_likelihood =", Tensor::scalar(l.log_likelihood));
        print("nll =", Tensor::scalar(-l.log_likelihood));
        note(fmt::format("over {} bigrams", l.n));
        const auto average_nll = [](const Tensor& probs, const std::vector<std::string>& names) {
            const Likelihood all = likelihood(probs, names);
            return -all.log_likelihood / static_cast<float>(all.n);
        };
        print("nll / n =", Tensor::scalar(yours.step("1.3", average_nll, P, words)));
        note("A model that knew nothing (every character 1/27) would score log(27) = 3.2958.");

        heading("Why smoothing: the word \"andrejq\"");
        const Tensor P0 = N / sum(N, 1, /*keepdim=*/true);
        for (const auto& [name, probs] : {std::pair{"without smoothing", P0}, std::pair{"with add-one smoothing", P}}) {
            note(fmt::format("{}:", name));
            const std::string chs = ".andrejq.";
            for (std::size_t k = 0; k + 1 < chs.size(); ++k) {
                const float prob = probs(stoi(chs[k]), stoi(chs[k + 1]));
                note(fmt::format("  {}{}: {:.4f} {:.4f}", chs[k], chs[k + 1], prob, std::log(prob)));
            }
            const Likelihood a = likelihood(probs, {"andrejq"});
            note(fmt::format("  nll / n = {:.4f}", -a.log_likelihood / static_cast<float>(a.n)));
        }
        note("\"jq\" never occurs in the data, so without smoothing its probability is 0, its log is -inf,");
        note("and one such word makes the loss of the whole set infinite. Adding 1 to every count");
        note("gives every bigram a small chance.");
        yours.print_summary();
    });
}
