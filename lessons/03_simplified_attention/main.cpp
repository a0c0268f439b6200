// Lesson 03: simplified self-attention, without trainable weights.
// Follows "Build a Large Language Model (From Scratch)", section 3.3, step by step;
// every tensor printed here is what the book's PyTorch code prints.
//
//   ./workbook run 03                      the book's six tokens
//   ./workbook run 03 --query 4            another token as the query
//   ./workbook run 03 --inputs my.txt      your own embeddings (one per line)
//   ./workbook run 03 --no-plots           without the pictures (heatmaps of the scores and weights)
#include <string>

#include <fmt/format.h>

#include "lib/book_inputs.hpp"
#include "lib/embeddings_file.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/ops.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/yours.hpp"

using namespace wb;

int main(int argc, char** argv) {
    std::string inputs_file;
    int query_number = 2;
    Flags flags("lesson03", "Lesson 03: simplified self-attention (book section 3.3)");
    flags.add("--inputs", inputs_file, "FILE",
              "token embeddings to use instead of the book's: one per line, an optional token, then numbers");
    flags.add("--query", query_number, "N", "which token is the query, counted from 1 like the book's x(2)");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson03");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        Embeddings e = your_journey_starts_with_one_step();
        if (!inputs_file.empty()) e = read_embeddings(inputs_file);
        const Tensor& inputs = e.vectors;
        const std::size_t n = inputs.size(0);
        if (query_number < 1 || static_cast<std::size_t>(query_number) > n)
            throw ValueError(fmt::format("--query {} is not a token: the inputs have tokens 1 to {}", query_number, n));
        const std::size_t q = static_cast<std::size_t>(query_number - 1);  // the book's inputs[1] is x(2)
        const std::string x_q = fmt::format("x({}) \"{}\"", q + 1, e.tokens[q]);
        pictures.create();
        // With `./workbook run 03 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();

        section("3.3.1 A simple self-attention mechanism without trainable weights");

        heading(fmt::format("The inputs: {} tokens, each a {}-dimensional embedding", n, inputs.size(1)));
        note(fmt::format("tokens: {}", fmt::join(e.tokens, " ")));
        print(inputs);

        heading(fmt::format("The query {}", x_q));
        const Tensor query = inputs.row(q);
        print(query);

        heading(fmt::format("Attention scores: the dot product of every input with {}", x_q));
        const auto scores_of = [](const Tensor& x, std::size_t query_row) {
            Tensor scores = zeros({x.size(0)});
            for (std::size_t i = 0; i < x.size(0); ++i) scores(i) = dot(x.row(i), x.row(query_row)).item();
            return scores;
        };
        const Tensor attn_scores_q = yours.step("3.1", scores_of, inputs, q);
        print(attn_scores_q);

        heading("A dot product is a sum of products: x(1) . query by a loop, then by dot()");
        float res = 0.0f;
        for (std::size_t k = 0; k < inputs.size(1); ++k) res += inputs(0, k) * query(k);
        print(Tensor::scalar(res));
        print(dot(inputs.row(0), query));

        heading("All the scores at once: inputs @ query");
        print(matmul(inputs, query));

        heading("Normalising the scores by their sum");
        const Tensor attn_weights_tmp = attn_scores_q / sum(attn_scores_q);
        print("Attention weights:", attn_weights_tmp);
        print("Sum:", sum(attn_weights_tmp));

        heading("Normalising with the naive softmax, exp(x) / sum(exp(x))");
        const Tensor attn_weights_naive = softmax_naive(attn_scores_q, 0);
        print("Attention weights:", attn_weights_naive);
        print("Sum:", sum(attn_weights_naive));

        heading("Normalising with softmax, as torch.softmax computes it");
        const Tensor attn_weights_q = softmax(attn_scores_q, 0);
        print("Attention weights:", attn_weights_q);
        print("Sum:", sum(attn_weights_q));

        heading("Why torch subtracts the maximum first: scores of 1000, 1001 and 1002");
        const Tensor big = {1000.0f, 1001.0f, 1002.0f};
        note("exp(1000) overflows float32 to inf, and inf / inf is nan:");
        print("naive:", softmax_naive(big, 0));
        note("exp(x - 1002) is at most exp(0) = 1, and the weights are the same on paper:");
        print("softmax:", softmax(big, 0));

        heading(fmt::format("The context vector z({}): the inputs weighted by the attention weights", q + 1));
        Tensor context_vec_q = zeros({inputs.size(1)});
        for (std::size_t i = 0; i < n; ++i) context_vec_q += attn_weights_q(i) * inputs.row(i);
        print(context_vec_q);

        section("3.3.2 Computing attention weights for all input tokens");

        heading("All attention scores, one dot product per pair (two loops)");
        Tensor attn_scores_loop = zeros({n, n});
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) attn_scores_loop(i, j) = dot(inputs.row(i), inputs.row(j)).item();
        print(attn_scores_loop);

        heading("All attention scores as one matrix product: inputs @ inputs.T");
        const Tensor attn_scores = matmul(inputs, T(inputs));
        print(attn_scores);

        heading("Attention weights: softmax of every row");
        const Tensor attn_weights = yours.step("3.2", [](const Tensor& s) { return softmax(s, -1); }, attn_scores);
        print(attn_weights);

        heading("Every row sums to 1");
        print("All row sums:", sum(attn_weights, -1));

        heading("All context vectors: attn_weights @ inputs");
        // exercise 3.3 computes it from the inputs alone, as the section's three lines do
        print(yours.step("3.3", [](const Tensor& x) { return matmul(softmax(matmul(x, T(x)), -1), x); }, inputs));
        print(fmt::format("Previous context vector z({}):", q + 1), context_vec_q);

        if (pictures.on()) {
            const HeatmapOptions axes{.row_title = "query", .col_title = "key"};
            write_heatmap(pictures.file("attention_scores.png"), attn_scores, e.tokens, e.tokens,
                          "lesson 03: attention scores, inputs @ inputs.T", axes);
            write_heatmap(pictures.file("attention_weights.png"), attn_weights, e.tokens, e.tokens,
                          "lesson 03: attention weights, softmax(inputs @ inputs.T, dim=-1)", axes);
        }
        yours.print_summary();
        pictures.print_where();
    });
}
