// Lesson 04: self-attention with trainable weights (scaled dot-product attention).
// Follows "Build a Large Language Model (From Scratch)", section 3.4, step by step;
// every tensor printed here is what the book's PyTorch code prints.
//
//   ./workbook run 04                       the book's seeds (123, and 789 for v2)
//   ./workbook run 04 --seed 42 --d-out 3   other weights, another width
//   ./workbook run 04 --no-plots            without the pictures (heatmaps of both classes' weights)
#include <cmath>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "lib/book_inputs.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/ops.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/yours.hpp"
#include "lib/random.hpp"
#include "lib/self_attention.hpp"

using namespace wb;

namespace {

// The variance of q . k over `trials` pairs of standard normal vectors of width d,
// before and after dividing by sqrt(d). Dot products and variances in double.
struct Variances {
    double dot, scaled;
};

Variances dot_product_variance(std::size_t d, std::size_t trials, Generator& g) {
    std::vector<double> dots, scaled;
    for (std::size_t t = 0; t < trials; ++t) {
        const Tensor q = g.randn({d}), k = g.randn({d});
        double qk = 0.0;
        for (std::size_t i = 0; i < d; ++i) qk += static_cast<double>(q(i)) * static_cast<double>(k(i));
        dots.push_back(qk);
        scaled.push_back(qk / std::sqrt(static_cast<double>(d)));
    }
    const auto variance = [](const std::vector<double>& xs) {  // np.var: divided by n
        double mean = 0.0, squares = 0.0;
        for (double x : xs) mean += x;
        mean /= static_cast<double>(xs.size());
        for (double x : xs) squares += (x - mean) * (x - mean);
        return squares / static_cast<double>(xs.size());
    };
    return {variance(dots), variance(scaled)};
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t seed = 123, seed_v2 = 789;
    int d_out_flag = 2;
    Flags flags("lesson04", "Lesson 04: self-attention with trainable weights (book section 3.4)");
    flags.add("--seed", seed, "N", "torch.manual_seed for W_query, W_key, W_value and SelfAttention_v1 (book: 123)");
    flags.add("--seed-v2", seed_v2, "N", "torch.manual_seed for SelfAttention_v2 (book: 789)");
    flags.add("--d-out", d_out_flag, "N", "the width of queries, keys and values (book: 2)");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson04");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        check_flag_range("--d-out", d_out_flag, 1, 64, "a width");
        const std::size_t d_out = static_cast<std::size_t>(d_out_flag);
        const Embeddings e = your_journey_starts_with_one_step();
        const Tensor& inputs = e.vectors;
        const std::size_t d_in = inputs.size(1);
        pictures.create();
        // With `./workbook run 04 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();

        section("3.4.1 Computing the attention weights step by step");

        heading("The inputs: \"Your journey starts with one step\", 6 tokens of 3 dimensions");
        print(inputs);

        heading(fmt::format("W_query, W_key, W_value: torch.manual_seed({}), then torch.rand({}, {}) three times",
                            seed, d_in, d_out));
        note("(the book wraps them in torch.nn.Parameter, so torch prints \"Parameter containing:\" above each)");
        Generator g(seed);
        const Tensor W_query = g.rand({d_in, d_out});
        const Tensor W_key = g.rand({d_in, d_out});
        const Tensor W_value = g.rand({d_in, d_out});
        print(W_query);
        print(W_key);
        print(W_value);

        heading("The second token x(2) \"journey\" as a query: query_2 = x_2 @ W_query");
        const Tensor x_2 = inputs.row(1);
        const Tensor query_2 = matmul(x_2, W_query);
        print(query_2);

        heading("Keys and values for every token: inputs @ W_key, inputs @ W_value");
        const Tensor keys = matmul(inputs, W_key);
        const Tensor values = matmul(inputs, W_value);
        print("keys.shape:", keys.shape());
        print("values.shape:", values.shape());
        // exercise 4.1 projects every token to all three at once (queries stacked on keys on values)
        yours.compare("4.1", stack({matmul(inputs, W_query), keys, values}), inputs, W_query, W_key, W_value);

        heading("The attention score of query 2 with key 2: omega_22 = query_2 . keys[1]");
        print(dot(query_2, keys.row(1)));

        heading("All scores for query 2: query_2 @ keys.T");
        const Tensor attn_scores_2 = matmul(query_2, T(keys));
        print(attn_scores_2);

        heading("Scaled by sqrt(d_k), then softmax: the attention weights of query 2");
        const std::size_t d_k = keys.size(-1);
        note(fmt::format("d_k = {}, the width of the keys", d_k));
        const float sqrt_d_k = static_cast<float>(std::sqrt(static_cast<double>(d_k)));  // the book's d_k**0.5
        // exercise 4.2 scales a (T, d_k) block of queries against the keys; here the block is query 2 alone
        const auto scaled_scores = [](const Tensor& q, const Tensor& k) {
            return matmul(q, T(k)) / static_cast<float>(std::sqrt(static_cast<double>(k.size(1))));
        };
        const Tensor attn_weights_2 = softmax(yours.step("4.2", scaled_scores, query_2.reshape({1, d_out}), keys).row(0), -1);
        print(attn_weights_2);

        heading("The context vector z(2): the values weighted by the attention weights");
        print(matmul(attn_weights_2, values));

        section("Why divide by sqrt(d_k)?");

        heading("Softmax of small scores, and of the same scores times 8");
        const Tensor t = {0.1f, -0.2f, 0.3f, -0.2f, 0.5f};
        print("softmax(t):    ", softmax(t, -1));
        print("softmax(t * 8):", softmax(t * 8.0f, -1));
        note("Large scores make softmax peaky: nearly all weight on one token, and gradients near 0.");

        heading(fmt::format("The variance of q . k for random normal q and k (torch.manual_seed({}), 1000 pairs each)", seed));
        note("q . k sums d products of variance 1, so its variance grows like d; dividing by sqrt(d) brings it back to 1.");
        Generator gv(seed);
        for (const std::size_t d : {5, 20, 100}) {
            const Variances v = dot_product_variance(d, 1000, gv);
            note(fmt::format("d = {:3}: variance of q . k {:9.4f}   of q . k / sqrt(d) {:.4f}", d, v.dot, v.scaled));
        }

        section("3.4.2 Implementing a compact self-attention class");

        heading(fmt::format("SelfAttention_v1: the three matrices from torch.rand, torch.manual_seed({})", seed));
        Generator g1(seed);
        const SelfAttention_v1 sa_v1(d_in, d_out, g1);
        print(sa_v1.forward(inputs));
        note("Its second row is the context vector z(2) above.");

        heading("The shapes along the way");
        print("inputs:          ", inputs.shape());
        print("W_query:         ", sa_v1.W_query.shape());
        const Tensor queries = matmul(inputs, sa_v1.W_query);
        print("queries:         ", queries.shape());
        print("attention scores:", matmul(queries, T(matmul(inputs, sa_v1.W_key))).shape());
        print("context vectors: ", sa_v1.forward(inputs).shape());

        heading(fmt::format("SelfAttention_v2: nn.Linear(3, {}, bias=False) layers, torch.manual_seed({})", d_out, seed_v2));
        note("Linear draws its weights uniform in +-1/sqrt(d_in), a better start for training than torch.rand.");
        Generator g2(seed_v2);
        SelfAttention_v2 sa_v2(d_in, d_out, g2);
        print(sa_v2.forward(inputs));

        heading("Exercise 3.1 of the book: v1 with v2's weights gives v2's output");
        note("nn.Linear stores its weight as (d_out, d_in) and computes x @ weight.T, so v1 gets the transposes:");
        const auto v1_like_v2 = [](const SelfAttention_v2& v2, const Tensor& x) {
            return SelfAttention_v1(T(v2.W_query.weight), T(v2.W_key.weight), T(v2.W_value.weight)).forward(x);
        };
        print(yours.step("4.3", v1_like_v2, sa_v2, inputs));  // exercise 4.3 builds the v1

        if (pictures.on()) {
            // every query's weights, not only x(2)'s: softmax(Q @ K.T / sqrt(d_k)) row by row
            const Tensor v1_weights =
                softmax(matmul(matmul(inputs, sa_v1.W_query), T(matmul(inputs, sa_v1.W_key))) / sqrt_d_k, -1);
            const HeatmapOptions axes{.row_title = "query", .col_title = "key"};
            write_heatmap(pictures.file("attention_weights_v1.png"), v1_weights, e.tokens, e.tokens,
                          fmt::format("lesson 04: SelfAttention_v1's weights (seed {}), softmax(QK^T / sqrt(d_k))", seed),
                          axes);
            write_heatmap(pictures.file("attention_weights_v2.png"), sa_v2.attn_weights(), e.tokens, e.tokens,
                          fmt::format("lesson 04: SelfAttention_v2's weights (seed {})", seed_v2), axes);
        }
        yours.print_summary();
        pictures.print_where();
    });
}
