// Lesson 05: causal attention. Follows "Build a Large Language Model (From Scratch)",
// section 3.5, step by step; every tensor printed here is what the book's PyTorch
// code prints (with Debian's torch, whose dropout mask is the book's: see README.md).
//
//   ./workbook run 05                       the book's seeds (789 for v2, 123 after)
//   ./workbook run 05 --seed 42 --d-out 3   other weights, another width
//   ./workbook run 05 --scaling             also time the score matrix for long contexts
//   ./workbook run 05 --no-plots            without the pictures (the mask, the weights before and after it)
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "lib/attention.hpp"
#include "lib/book_inputs.hpp"
#include "lib/dropout.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/ops.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/random.hpp"
#include "lib/self_attention.hpp"
#include "lib/yours.hpp"

using namespace wb;

namespace {

// Times softmax(q @ k.T / sqrt(d)) for `tokens` tokens of width 64: the T x T pattern
// every attention layer computes (the mask would only add another T x T). Returns
// the best of a few runs (one for the long ones), in seconds.
double score_matrix_seconds(std::size_t tokens, Generator& g) {
    const std::size_t d = 64;
    const Tensor q = g.rand({tokens, d}), k = g.rand({tokens, d});
    double best = std::numeric_limits<double>::infinity();
    for (int run = 0; run < (tokens <= 1024 ? 3 : 1); ++run) {
        const auto start = std::chrono::steady_clock::now();
        const Tensor weights = softmax(matmul(q, T(k)) / std::sqrt(static_cast<float>(d)), -1);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (weights.numel() != tokens * tokens) throw ValueError("score matrix of the wrong size");
    }
    return best;
}

void show_quadratic_growth() {
    section("The attention pattern grows with the square of the context");
    note("Every token attends to every earlier one: T tokens make a T x T score matrix (and a T x T mask).");
    Generator g(0);
    std::vector<double> log_t, log_s;
    note(fmt::format("{:>7}  {:>12}  {:>10}", "tokens", "scores (MB)", "time (ms)"));
    for (std::size_t T = 256; T <= 8192; T *= 2) {
        const double seconds = score_matrix_seconds(T, g);
        note(fmt::format("{:>7}  {:>12.1f}  {:>10.2f}", T, static_cast<double>(T * T * 4) / 1e6, seconds * 1e3));
        log_t.push_back(std::log(static_cast<double>(T)));
        log_s.push_back(std::log(seconds));
    }
    // least-squares slope of log(time) against log(T): time ~ T^slope
    const double n = static_cast<double>(log_t.size());
    double mean_t = 0.0, mean_s = 0.0;
    for (std::size_t i = 0; i < log_t.size(); ++i) {
        mean_t += log_t[i] / n;
        mean_s += log_s[i] / n;
    }
    double covariance = 0.0, variance = 0.0;
    for (std::size_t i = 0; i < log_t.size(); ++i) {
        covariance += (log_t[i] - mean_t) * (log_s[i] - mean_s);
        variance += (log_t[i] - mean_t) * (log_t[i] - mean_t);
    }
    note(fmt::format("fitted: time grows like T^{:.2f} (memory like T^2 exactly)", covariance / variance));
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t seed = 123, seed_v2 = 789;
    int d_out_flag = 2;
    bool scaling = false;
    Flags flags("lesson05", "Lesson 05: causal attention (book section 3.5)");
    flags.add("--seed", seed, "N", "torch.manual_seed for dropout and CausalAttention (book: 123)");
    flags.add("--seed-v2", seed_v2, "N", "torch.manual_seed for SelfAttention_v2's weights (book: 789)");
    flags.add("--d-out", d_out_flag, "N", "the width of queries, keys and values (book: 2)");
    flags.add_switch("--scaling", scaling, "also measure how the score matrix's time and memory grow with the context");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson05");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        check_flag_range("--d-out", d_out_flag, 1, 64, "a width");
        const std::size_t d_out = static_cast<std::size_t>(d_out_flag);
        const Tensor inputs = your_journey_starts_with_one_step().vectors;
        const std::size_t d_in = inputs.size(1), context_length = inputs.size(0);
        const float inf = std::numeric_limits<float>::infinity();
        const std::vector<std::string> tokens = your_journey_starts_with_one_step().tokens;
        pictures.create();
        // With `./workbook run 05 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();

        section("3.5.1 Applying a causal attention mask");

        heading(fmt::format("The attention weights of SelfAttention_v2 (torch.manual_seed({}))", seed_v2));
        Generator g2(seed_v2);
        const SelfAttention_v2 sa_v2(d_in, d_out, g2);
        const Tensor queries = sa_v2.W_query.forward(inputs);
        const Tensor keys = sa_v2.W_key.forward(inputs);
        const Tensor attn_scores = matmul(queries, T(keys));
        const float sqrt_d_k = static_cast<float>(std::sqrt(static_cast<double>(keys.size(-1))));
        const Tensor attn_weights = softmax(attn_scores / sqrt_d_k, -1);
        print(attn_weights);

        heading("The simple mask: ones on and below the diagonal (torch.tril)");
        const Tensor mask_simple = tril(ones({context_length, context_length}));
        print(mask_simple);

        heading("The weights times the mask: every token's future is zeroed");
        const Tensor masked_simple = attn_weights * mask_simple;
        print(masked_simple);

        heading("Renormalised so every row sums to 1 again");
        const Tensor row_sums = sum(masked_simple, -1, true);
        const Tensor masked_simple_norm = masked_simple / row_sums;
        print(masked_simple_norm);

        heading("The better way: the scores above the diagonal set to -inf, before softmax");
        const Tensor mask = triu(ones({context_length, context_length}), 1);
        const Tensor masked = masked_fill(attn_scores, mask, -inf);
        print(masked);

        heading("softmax turns -inf into weight 0: the same weights, in one step");
        // The book's softmax(masked / sqrt(d_k), dim=1), written as exercise 5.1 takes it: from the scaled scores.
        const Tensor attn_weights_causal = yours.step(
            "5.1", [&](const Tensor& scores) { return softmax(masked_fill(scores, mask, -inf), 1); },
            attn_scores / sqrt_d_k);
        print(attn_weights_causal);

        section("3.5.2 Masking additional attention weights with dropout");

        heading(fmt::format("Dropout with p = 0.5 on a 6x6 matrix of ones (torch.manual_seed({}))", seed));
        note("Half the entries are zeroed; the rest are scaled by 1/(1-p) = 2 so the expected sum stays the same.");
        // Dropout(p) is a layer in the book; exercise 5.2 is the same as a function of p.
        const auto dropout = [](const Tensor& x, double p, Generator& g) { return Dropout(p).forward(x, g); };
        Generator gd(seed);
        print(yours.step("5.2", dropout, ones({6, 6}), 0.5, gd));

        heading(fmt::format("Dropout on the causal attention weights (torch.manual_seed({}) again)", seed));
        Generator gd2(seed);
        const Tensor attn_weights_dropped = yours.step("5.2", dropout, attn_weights_causal, 0.5, gd2);
        print(attn_weights_dropped);

        section("3.5.3 Implementing a compact causal attention class");

        heading("A batch of two copies of the inputs");
        const Tensor batch = stack({inputs, inputs});
        print(batch.shape());

        heading(fmt::format("CausalAttention(d_in=3, d_out={}, context_length=6, dropout=0.0), torch.manual_seed({})",
                            d_out, seed));
        Generator gc(seed);
        CausalAttention ca(d_in, d_out, context_length, 0.0, gc);
        const Tensor context_vecs = ca.forward(batch);
        // exercise 5.3 computes one sequence of the batch from the class's weights
        yours.compare("5.3", context_vecs.row(0), inputs, T(ca.W_query.weight), T(ca.W_key.weight),
                      T(ca.W_value.weight));
        print(context_vecs);
        print("context_vecs.shape:", context_vecs.shape());

        heading(fmt::format("The same with dropout=0.5 (torch.manual_seed({})): the weights after dropout, then the "
                            "context vectors",
                            seed));
        Generator gc2(seed);
        CausalAttention ca_drop(d_in, d_out, context_length, 0.5, gc2);
        const Tensor context_vecs_dropout = ca_drop.forward(batch);
        print(ca_drop.attn_weights());
        print(context_vecs_dropout);

        if (scaling) show_quadratic_growth();

        if (pictures.on()) {
            const HeatmapOptions axes{.row_title = "query", .col_title = "key"};
            write_heatmap(pictures.file("attention_weights.png"), attn_weights, tokens, tokens,
                          "lesson 05: SelfAttention_v2's weights, before the mask", axes);
            write_mask(pictures.file("causal_mask.png"), mask_simple, tokens, tokens,
                       "lesson 05: the causal mask, torch.tril(torch.ones(6, 6))");
            write_heatmap(pictures.file("causal_attention_weights.png"), attn_weights_causal, tokens, tokens,
                          "lesson 05: causal attention weights, softmax of the masked scores", axes);
            write_heatmap(pictures.file("causal_attention_weights_dropout.png"), attn_weights_dropped, tokens, tokens,
                          fmt::format("lesson 05: the causal weights after dropout (p = 0.5, seed {})", seed), axes);
        }
        yours.print_summary();
        pictures.print_where();
    });
}
