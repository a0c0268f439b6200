// Lesson 08: sparse attention patterns. Which keys each query may see, drawn as
// grids: full causal, a sliding window, and the Sparse Transformer's "strided" and
// "fixed" patterns (Child et al. 2019); what two layers of them reach; what
// interleaving dense and local layers costs; attention on the six tokens under
// each; and how many pairs each leaves at a long context.
//
//   ./workbook run 08                                  16 positions, window 4, stride 4, 1 summary
//   ./workbook run 08 --context 12 --window 5 --stride 3 --summary 2 --seed 42
//   ./workbook bench 08                                the kernel's time from 512 to 16,384 tokens
//   ./workbook run 08 --no-plots                       without the pictures (every grid, the six tokens' weights)
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/attention.hpp"
#include "lib/book_inputs.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/yours.hpp"
#include "lib/random.hpp"
#include "lib/self_attention.hpp"
#include "lib/sparse_attention.hpp"

using namespace wb;

namespace {

using Allowed = std::function<bool(std::size_t i, std::size_t j)>;

// One character per (query, key) pair: ■ attended, · skipped; keys numbered mod 10.
void print_grid(std::size_t T, const Allowed& allowed) {
    std::string line = "   ";
    for (std::size_t j = 0; j < T; ++j) line += fmt::format(" {}", j % 10);
    note(line);
    for (std::size_t i = 0; i < T; ++i) {
        line = fmt::format("{:>3}", i);
        for (std::size_t j = 0; j < T; ++j) line += allowed(i, j) ? " ■" : " ·";
        note(line);
    }
}

// The grid as a picture: the mask of 1s (attended) and 0s, positions as labels.
void draw_grid(const PictureFolder& pictures, const std::string& file, const std::string& title, std::size_t T,
               const Allowed& allowed) {
    if (!pictures.on()) return;
    Tensor mask = zeros({T, T});
    std::vector<std::string> positions;
    for (std::size_t i = 0; i < T; ++i) {
        positions.push_back(std::to_string(i));
        for (std::size_t j = 0; j < T; ++j) mask(i, j) = allowed(i, j) ? 1.0f : 0.0f;
    }
    write_mask(pictures.file(file), mask, positions, positions, "lesson 08: " + title);
}

Allowed pattern(const SparsePattern& p) {
    return [p](std::size_t i, std::size_t j) { return attends(p, i, j); };
}

// A mask in the book's convention (1 = may not see) as the grid's question.
Allowed allowed_by(const Tensor& mask) {
    return [mask](std::size_t i, std::size_t j) { return mask(i, j) == 0.0f; };
}

// Where information can come from through two layers of the same pattern: key j
// reaches query i if some position m is seen by i and sees j.
Allowed two_layers(const SparsePattern& p) {
    return [p](std::size_t i, std::size_t j) {
        for (std::size_t m = j; m <= i; ++m)
            if (attends(p, i, m) && attends(p, m, j)) return true;
        return false;
    };
}

void print_pairs(const SparsePattern& p, std::size_t T) {
    const std::uint64_t n = attended_pairs(p, T), full = attended_pairs(causal_pattern(), T);
    note(fmt::format("{} pairs attended of {} causal ones ({:.0f}%)", format_count(n), format_count(full),
                     100.0 * static_cast<double>(n) / static_cast<double>(full)));
}

// A flag's value must lie in [1, most]; `what` names what the upper bound is.
void check_range(const char* flag, int value, int most, const std::string& what) {
    if (value < 1) throw ValueError(fmt::format("{} {} is not a size: it takes 1 to {}", flag, value, most));
    if (value > most)
        throw ValueError(fmt::format("{} {} is larger than {}: it takes 1 to {}", flag, value, what, most));
}

void check_flags(int context, int window, int stride, int summary) {
    if (context < 2 || context > 64)
        throw ValueError(fmt::format("--context {} does not fit a grid: it takes 2 to 64 positions", context));
    const std::string the_context = fmt::format("the context of {} positions", context);
    check_range("--window", window, context, the_context);
    check_range("--stride", stride, context, the_context);
    check_range("--summary", summary, stride, fmt::format("a block of --stride {}", stride));
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t seed = 123;
    int context = 16, window = 4, stride = 4, summary = 1;
    Flags flags("lesson08", "Lesson 08: sparse attention patterns");
    flags.add("--seed", seed, "N", "torch.manual_seed before the six-token example's weights (default 123)");
    flags.add("--context", context, "T", "positions in the grids (default 16)");
    flags.add("--window", window, "W", "sliding window: a query sees itself and the W-1 before it (default 4)");
    flags.add("--stride", stride, "L", "strided and fixed patterns: the stride, and the block length (default 4)");
    flags.add("--summary", summary, "C", "fixed pattern: the last C positions of each block everyone sees (default 1)");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson08");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        check_flags(context, window, stride, summary);
        pictures.create();
        // With `./workbook run 08 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();
        const auto T = static_cast<std::size_t>(context);
        const SparsePattern causal = causal_pattern();
        const SparsePattern local = sliding_window_pattern(static_cast<std::size_t>(window));
        const SparsePattern strided = strided_pattern(static_cast<std::size_t>(stride));
        const SparsePattern fixed = fixed_pattern(static_cast<std::size_t>(stride), static_cast<std::size_t>(summary));
        const std::size_t l = strided.stride, c = fixed.summary;

        section("The patterns as grids: a row per query, a column per key; ■ attended, · skipped");

        heading(fmt::format("Full causal attention, {} positions", T));
        print_grid(T, pattern(causal));
        draw_grid(pictures, "mask_causal.png", fmt::format("full causal attention, {} positions", T), T, pattern(causal));
        print_pairs(causal, T);

        heading(fmt::format("Sliding window of {}: each query sees itself and the {} before it", local.window,
                            local.window - 1));
        print_grid(T, pattern(local));
        draw_grid(pictures, "mask_sliding_window.png", fmt::format("sliding window of {}", local.window), T,
                  pattern(local));
        print_pairs(local, T);

        heading(fmt::format("Strided (Child et al. 2019), l = {}: two heads", l));
        const Allowed strided_1 = [&](std::size_t i, std::size_t j) { return j <= i && i - j < l; };
        const Allowed strided_2 = [&](std::size_t i, std::size_t j) { return j <= i && (i - j) % l == 0; };
        note(fmt::format("head 1, the previous {} positions:", l));
        print_grid(T, strided_1);
        note(fmt::format("head 2, every {}th position before:", l));
        print_grid(T, strided_2);
        note("together:");
        const Tensor strided_mask = yours.step(  // exercise 8.1
            "8.1", [](std::size_t n, std::size_t stride) { return pattern_mask(strided_pattern(stride), n); }, T, l);
        print_grid(T, allowed_by(strided_mask));
        draw_grid(pictures, "mask_strided_head1.png", fmt::format("strided, l = {}: head 1, the previous {}", l, l), T,
                  strided_1);
        draw_grid(pictures, "mask_strided_head2.png", fmt::format("strided, l = {}: head 2, every {}th before", l, l),
                  T, strided_2);
        draw_grid(pictures, "mask_strided.png", fmt::format("strided, l = {}: both heads", l), T, pattern(strided));
        print_pairs(strided, T);

        heading(fmt::format("Fixed (Child et al. 2019), blocks of {}, {} summary position{}: two heads", l, c,
                            c == 1 ? "" : "s"));
        const Allowed fixed_1 = [&](std::size_t i, std::size_t j) { return j <= i && j / l == i / l; };
        const Allowed fixed_2 = [&](std::size_t i, std::size_t j) { return j <= i && j % l >= l - c; };
        note(fmt::format("head 1, the query's own block of {}:", l));
        print_grid(T, fixed_1);
        note(fmt::format("head 2, the last {} of every block:", c));
        print_grid(T, fixed_2);
        note("together:");
        const Tensor fixed_mask = yours.step(  // exercise 8.2
            "8.2",
            [](std::size_t n, std::size_t stride, std::size_t summary) {
                return pattern_mask(fixed_pattern(stride, summary), n);
            },
            T, l, c);
        print_grid(T, allowed_by(fixed_mask));
        draw_grid(pictures, "mask_fixed_head1.png", fmt::format("fixed, l = {}: head 1, the query's own block", l), T,
                  fixed_1);
        draw_grid(pictures, "mask_fixed_head2.png", fmt::format("fixed, l = {}: head 2, the last {} of every block", l, c),
                  T, fixed_2);
        draw_grid(pictures, "mask_fixed.png", fmt::format("fixed, l = {}, c = {}: both heads", l, c), T, pattern(fixed));
        print_pairs(fixed, T);

        section("Two layers deep: where a query's information can come from");

        heading(fmt::format("Two sliding-window layers of {}", local.window));
        print_grid(T, two_layers(local));
        draw_grid(pictures, "reach_two_sliding_window_layers.png",
                  fmt::format("what two sliding-window layers of {} reach", local.window), T, two_layers(local));
        note(fmt::format("Each layer reaches {} further back; a long context needs many layers.", local.window - 1));

        heading(fmt::format("Two strided layers, l = {}", l));
        print_grid(T, two_layers(strided));
        draw_grid(pictures, "reach_two_strided_layers.png", fmt::format("what two strided layers, l = {}, reach", l), T,
                  two_layers(strided));
        note("Every earlier position: the stride head hops back in steps of l, the local head covers the rest.");
        note("That is Child et al.'s point: full reach in two layers for about sqrt(T) keys per query, not T.");

        section("Interleaving dense and local layers (GPT-3 alternates them)");
        {
            const std::size_t long_T = 16384, layers = 12;
            const SparsePattern band = sliding_window_pattern(256);
            const std::uint64_t dense = attended_pairs(causal, long_T), banded = attended_pairs(band, long_T);
            note(fmt::format("{} layers at {} tokens, windows of {}:", layers, format_count(long_T), band.window));
            note(fmt::format("  all dense            {:>16} pairs", format_count(layers * dense)));
            note(fmt::format("  dense, local, ...    {:>16} pairs ({:.0f}%)", format_count(layers / 2 * (dense + banded)),
                             100.0 * static_cast<double>(dense + banded) / static_cast<double>(2 * dense)));
            note("Half the cost, and the dense layers keep every pair reachable in one step.");
        }

        section("Attention on the six tokens under each pattern");
        const Embeddings e = your_journey_starts_with_one_step();
        Generator g(seed);
        const CausalAttention ca(3, 2, 6, 0.0, g);
        const Tensor queries = ca.W_query.forward(e.vectors), keys = ca.W_key.forward(e.vectors),
                     values = ca.W_value.forward(e.vectors);
        note(fmt::format("Lesson 05's CausalAttention(3, 2, 6, 0.0) weights, torch.manual_seed({}).", seed));
        bool same = true;
        const std::vector<std::string> file_names = {"causal", "sliding_window", "strided", "fixed"};
        const std::vector<SparsePattern> patterns = {causal, local, strided, fixed};
        for (std::size_t k = 0; k < patterns.size(); ++k) {
            const SparsePattern& p = patterns[k];
            heading(fmt::format("{}: attention weights, then context vectors", to_string(p)));
            const Attention dense = scaled_dot_product_attention(queries, keys, values, pattern_mask(p, 6));
            print(dense.weights);
            print(dense.context);
            if (pictures.on())
                write_heatmap(pictures.file(fmt::format("attention_weights_{}.png", file_names[k])), dense.weights,
                              e.tokens, e.tokens, fmt::format("lesson 08: attention weights, {}", to_string(p)),
                              {.row_title = "query", .col_title = "key"});
            const Tensor sparse = sparse_attention(queries, keys, values, p);
            for (std::size_t k = 0; k < sparse.numel(); ++k)
                same = same && std::abs(sparse.values()[k] - dense.context.values()[k]) <= 1e-5f;
        }
        note(fmt::format("sparse_attention, which computes only the attended pairs, gives these contexts: {}",
                         same ? "yes, within 1e-5" : "NO"));

        section("At a long context: 16,384 tokens");
        {
            const std::size_t long_T = 16384;
            const std::uint64_t full = attended_pairs(causal, long_T);
            const std::vector<std::pair<std::string, SparsePattern>> rows = {
                {"full causal", causal},
                {"sliding window, w = 256", sliding_window_pattern(256)},
                {"strided, l = 128", strided_pattern(128)},
                {"fixed, l = 128, c = 8", fixed_pattern(128, 8)}};
            for (const auto& [name, p] : rows) {
                const std::uint64_t n = attended_pairs(p, long_T);
                note(fmt::format("  {:<26}{:>14} pairs  {:>6.2f}%", name, format_count(n),
                                 100.0 * static_cast<double>(n) / static_cast<double>(full)));
            }
            const std::uint64_t window = 256;  // exercise 8.3 counts the sliding window's row
            yours.compare("8.3", attended_pairs(sliding_window_pattern(window), long_T), std::uint64_t{long_T}, window);
            note("With l = sqrt(T) = 128 the strided and fixed patterns cost about T * sqrt(T), not T^2.");
            note("`./workbook bench 08` times the kernel from 512 to 16,384 tokens and fits each pattern's exponent.");
        }
        yours.print_summary();
        pictures.print_where();
    });
}
