// The rows of the bad-input table (see rows.hpp). Add a row here, run the test
// suite, then `tests/bad_inputs/readme.sh write` to put it in the README.
#include "tests/bad_inputs/rows.hpp"

#include <cmath>
#include <fstream>
#include <limits>

#include <fmt/format.h>

#include "lib/attention.hpp"
#include "lib/colormap.hpp"
#include "lib/embeddings_file.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/grouped_query_attention.hpp"
#include "lib/layers.hpp"
#include "lib/mlp.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/moe.hpp"
#include "lib/multi_head_attention.hpp"
#include "lib/ops.hpp"
#include "lib/optim.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/random.hpp"
#include "lib/self_attention.hpp"
#include "lib/sparse_attention.hpp"
#include "lib/train.hpp"
#include "lib/words.hpp"

namespace wb::testing {
namespace {

constexpr float nan = std::numeric_limits<float>::quiet_NaN();
constexpr float inf = std::numeric_limits<float>::infinity();

// Writes `text` to dir/name and returns the path.
std::string file(const std::string& dir, const std::string& name, const std::string& text) {
    const std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string shown(const Tensor& t) { return format(t); }

std::vector<BadInput> make_rows() {
    Generator g(123);
    return {
        // --- tensors --------------------------------------------------------------------
        {"tensor_values_do_not_fill_the_shape", "Tensor(Shape{2, 3}, {1, 2, 3, 4, 5})", "ShapeError: Tensor: shape [2, 3] holds 6 elements, but 5 values were given",
         [](auto&) { return shown(Tensor(Shape{2, 3}, {1, 2, 3, 4, 5})); }},
        {"tensor_ragged_rows", "Tensor{{1, 2}, {3}}", "ShapeError: Tensor: expected sequence of length 2 at row 1 (got 1)", [](auto&) { return shown(Tensor{{1, 2}, {3}}); }},
        {"size_of_a_0d_tensor", "Tensor::scalar(1).size(-1)", "IndexError: size(-1): dimension specified as -1 but tensor has no dimensions (a 0-d tensor, a scalar; size(d) takes a tensor of at least 1 dimension)",
         [](auto&) { return std::to_string(Tensor::scalar(1).size(-1)); }},
        {"size_past_the_last_dimension", "Tensor{1, 2, 3}.size(1)", "IndexError: size(1): Dimension out of range (expected to be in range of [-1, 0], but got 1) for a tensor of shape [3]",
         [](auto&) { return std::to_string(Tensor{1, 2, 3}.size(1)); }},
        {"index_past_the_end", "Tensor{1, 2, 3}(3)", "IndexError: index 3 is out of bounds for dimension 0 with size 3", [](auto&) { return std::to_string(Tensor{1, 2, 3}(3)); }},
        {"item_of_two_elements", "zeros({2}).item()", "ValueError: a Tensor with 2 elements cannot be converted to Scalar", [](auto&) { return std::to_string(zeros({2}).item()); }},
        {"reshape_to_another_size", "zeros({2, 3}).reshape({4})", "ShapeError: shape '[4]' is invalid for input of size 6",
         [](auto&) { return shown(zeros({2, 3}).reshape({4})); }},
        // --- ops ------------------------------------------------------------------------
        {"matmul_inner_sizes_differ", "matmul(zeros({6, 3}), zeros({2, 2}))", "ShapeError: matmul: mat1 and mat2 shapes cannot be multiplied (6x3 and 2x2)",
         [](auto&) { return shown(matmul(zeros({6, 3}), zeros({2, 2}))); }},
        {"matmul_of_a_0d_tensor", "matmul(Tensor::scalar(2), zeros({2, 2}))", "ShapeError: matmul: both arguments to matmul need to be at least 1D, but they are 0D and 2D",
         [](auto&) { return shown(matmul(Tensor::scalar(2), zeros({2, 2}))); }},
        {"dot_of_different_lengths", "dot(zeros({3}), zeros({4}))", "ShapeError: dot: inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively",
         [](auto&) { return shown(dot(zeros({3}), zeros({4}))); }},
        {"add_shapes_that_do_not_broadcast", "zeros({2, 3}) + zeros({4})", "ShapeError: add: the size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1 (shapes [2, 3] and [4])",
         [](auto&) { return shown(zeros({2, 3}) + zeros({4})); }},
        {"softmax_dim_out_of_range_on_1d", "softmax(Tensor{1, 2, 3}, 1)", "IndexError: softmax: Dimension out of range (expected to be in range of [-1, 0], but got 1) for a tensor of shape [3]",
         [](auto&) { return shown(softmax(Tensor{1, 2, 3}, 1)); }},
        {"sum_dim_out_of_range_on_0d", "sum(Tensor::scalar(1), 1)", "IndexError: sum: Dimension out of range (expected to be in range of [-1, 0], but got 1) for a 0-d tensor (a scalar), which takes dim 0 or -1",
         [](auto&) { return shown(sum(Tensor::scalar(1), 1)); }},
        {"transpose_dim_out_of_range", "transpose(zeros({2, 3}), 0, 2)", "IndexError: transpose: Dimension out of range (expected to be in range of [-2, 1], but got 2) for a tensor of shape [2, 3]",
         [](auto&) { return shown(transpose(zeros({2, 3}), 0, 2)); }},
        {"triu_of_a_vector", "triu(zeros({3}))", "ShapeError: triu: input tensor must have at least 2 dimensions, but got shape [3]", [](auto&) { return shown(triu(zeros({3}))); }},
        {"stack_of_different_shapes", "stack({zeros({2}), zeros({3})})", "ShapeError: stack: expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1",
         [](auto&) { return shown(stack({zeros({2}), zeros({3})})); }},
        {"masked_fill_mask_too_big", "masked_fill(zeros({2, 2}), ones({3, 3}), -inf)", "ShapeError: masked_fill: the size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1 (shapes [2, 2] and [3, 3])",
         [](auto&) { return shown(masked_fill(zeros({2, 2}), ones({3, 3}), -inf)); }},
        {"softmax_of_an_empty_tensor", "softmax(zeros({0, 3}), -1)", "tensor([], size=(0, 3))",
         [](auto&) { return shown(softmax(zeros({0, 3}), -1)); }},
        {"softmax_of_huge_logits", "softmax(Tensor{1e4, -1e4, 0}, 0)", "tensor([1., 0., 0.])",
         [](auto&) { return shown(softmax(Tensor{1e4f, -1e4f, 0.0f}, 0)); }},
        // --- attention ------------------------------------------------------------------
        {"fully_masked_row", "masked_softmax(zeros({2, 2}), Tensor{{1, 1}, {0, 1}})", "tensor([[0., 0.],\n        [1., 0.]])",
         [](auto&) { return shown(masked_softmax(zeros({2, 2}), Tensor{{1, 1}, {0, 1}})); }},
        {"heads_do_not_divide_the_width", "split_heads(zeros({1, 6, 4}), 3)", "ShapeError: split_heads: expects (batch, tokens, d_out) with d_out a multiple of the 3 heads, got shape [1, 6, 4]",
         [](auto&) { return shown(split_heads(zeros({1, 6, 4}), 3)); }},
        {"multi_head_attention_heads_do_not_divide_d_out", "MultiHeadAttention(3, 4, 6, 0.0, 3, g)", "ValueError: MultiHeadAttention: d_out (4) must be divisible by num_heads (3)",
         [g](auto&) mutable { return std::to_string(MultiHeadAttention(3, 4, 6, 0.0, 3, g).num_parameters()); }},
        {"kv_heads_do_not_divide_heads", "GroupedQueryAttention(3, 8, 6, 0.0, 4, 3, g)", "ValueError: GroupedQueryAttention: num_heads (4) must be divisible by num_kv_heads (3); each K/V head serves a group of equal size",
         [g](auto&) mutable { return std::to_string(GroupedQueryAttention(3, 8, 6, 0.0, 4, 3, g).num_parameters()); }},
        {"zero_kv_heads", "GroupedQueryAttention(3, 8, 6, 0.0, 4, 0, g)", "ValueError: GroupedQueryAttention: num_kv_heads must be at least 1 (1 is multi-query attention, num_heads (4) multi-head attention)",
         [g](auto&) mutable { return std::to_string(GroupedQueryAttention(3, 8, 6, 0.0, 4, 0, g).num_parameters()); }},
        {"zero_width", "SelfAttention_v1(3, 0, g)", "ShapeError: scaled_dot_product_attention: needs at least one token and a width of at least 1; got q [6, 0] and k [6, 0]",
         [g](auto&) mutable { return shown(SelfAttention_v1(3, 0, g).forward(zeros({6, 3}))); }},
        {"more_tokens_than_the_context", "CausalAttention(3, 2, 4, 0.0, g).forward(zeros({1, 6, 3}))", "ShapeError: CausalAttention: 6 tokens, but the context length is 4",
         [g](auto&) mutable { return shown(CausalAttention(3, 2, 4, 0.0, g).forward(zeros({1, 6, 3}))); }},
        {"input_width_is_not_d_in", "CausalAttention(3, 2, 6, 0.0, g).forward(zeros({1, 6, 5}))", "ShapeError: attention: input of shape [1, 6, 5] for d_in = 3 (expected (..., tokens, 3))",
         [g](auto&) mutable { return shown(CausalAttention(3, 2, 6, 0.0, g).forward(zeros({1, 6, 5}))); }},
        {"sliding_window_of_zero", "sliding_window_pattern(0)", "ValueError: sliding window: the window must be at least 1 (the query itself)",
         [](auto&) { return to_string(sliding_window_pattern(0)); }},
        {"window_larger_than_the_context", "pattern_mask(sliding_window_pattern(8), 4)", "tensor([[0., 1., 1., 1.],\n        [0., 0., 1., 1.],\n        [0., 0., 0., 1.],\n        [0., 0., 0., 0.]])",
         [](auto&) { return shown(pattern_mask(sliding_window_pattern(8), 4)); }},
        {"fixed_summary_longer_than_the_stride", "fixed_pattern(4, 5)", "ValueError: fixed pattern: the summary positions (5) must be 1 to the block length (4)",
         [](auto&) { return to_string(fixed_pattern(4, 5)); }},
        {"sparse_attention_keys_of_another_length",
         "sparse_attention(zeros({4, 2}), zeros({5, 2}), zeros({5, 2}), causal_pattern())", "ShapeError: sparse_attention: q and k must have the same shape (shapes [4, 2] and [5, 2])",
         [](auto&) { return shown(sparse_attention(zeros({4, 2}), zeros({5, 2}), zeros({5, 2}), causal_pattern())); }},
        // --- mixture of experts ---------------------------------------------------------
        {"top_k_larger_than_the_experts", "top_k(full({2, 4}, 0.25), 5)", "ValueError: top_k: top-k 5 with 4 experts: k takes 1 to 4",
         [](auto&) { return shown(top_k(full({2, 4}, 0.25f), 5).values); }},
        {"top_k_of_zero", "top_k(full({2, 4}, 0.25), 0)", "ValueError: top_k: top-k 0 with 4 experts: k takes 1 to 4",
         [](auto&) { return shown(top_k(full({2, 4}, 0.25f), 0).values); }},
        {"top_k_of_nan_probabilities", "top_k(Tensor{{0.5, nan, 0.2}}, 1)", "ValueError: top_k: the probability of expert 1 for token 0 is nan; routing needs numbers (did the weights diverge?)",
         [](auto&) { return shown(top_k(Tensor{{0.5f, nan, 0.2f}}, 1).values); }},
        {"mixture_top_k_larger_than_the_experts", "MixtureOfExperts(3, 12, 4, 5, g)", "ValueError: MixtureOfExperts: top-k 5 with 4 experts: k takes 1 to 4",
         [g](auto&) mutable { return std::to_string(MixtureOfExperts(3, 12, 4, 5, g).num_parameters()); }},
        {"capacity_factor_nan", "expert_capacity(6, 2, 4, nan)", "ValueError: expert_capacity: the capacity factor must be a positive number, got nan",
         [](auto&) { return std::to_string(expert_capacity(6, 2, 4, std::nan(""))); }},
        // --- layers and training --------------------------------------------------------
        {"cross_entropy_target_past_the_classes", "cross_entropy_forward(zeros({2, 3}), {0, 3}, probs)", "IndexError: cross_entropy: index 3 at position 1 is out of range for 3 rows",
         [](auto&) { Tensor p; return std::to_string(cross_entropy_forward(zeros({2, 3}), {0, 3}, p)); }},
        {"cross_entropy_of_huge_logits", "cross_entropy_forward(Tensor{{1e4, -1e4, 0}}, {0}, probs)", "0",
         [](auto&) { Tensor p; return fmt::format("{}", cross_entropy_forward(Tensor{{1e4f, -1e4f, 0.0f}}, {0}, p)); }},
        {"training_that_diverges", "train(mlp, data, g, options) with options.learning_rate 1e30", "ValueError: training diverged: the loss is nan at step 1 (learning rate 1e+30); try a smaller learning rate",
         [](auto&) {
             Generator g(0);
             MLP model(MLPConfig{}, g);
             TrainOptions options;
             options.steps = 100;
             options.print_every = 0;
             options.progress = false;
             options.learning_rate = [](std::size_t) { return 1e30f; };
             return fmt::format("{}", train(model, build_dataset({"emma", "olivia", "ava"}, 3), g, options).losses.back());
         }},
        {"embedding_index_past_the_table", "embedding_forward(zeros({27, 2}), {27})", "IndexError: embedding: index 27 at position 0 is out of range for 27 rows",
         [](auto&) { return shown(embedding_forward(zeros({27, 2}), {27})); }},
        {"learning_rate_nan", "SGD(...).step(nan)", "ValueError: SGD: the learning rate must be a finite number >= 0, got nan",
         [](auto&) {
             Tensor w = zeros({2}), dw = ones({2});
             SGD(std::vector<Tensor*>{&w}, std::vector<Tensor*>{&dw}).step(nan);
             return shown(w);
         }},
        {"a_flag_out_of_its_range", "check_flag_range(\"--d-out\", 0, 1, 64, \"a width\")",
         "ValueError: --d-out 0 is not a width: it takes 1 to 64",
         [](auto&) { check_flag_range("--d-out", 0, 1, 64, "a width"); return std::string("accepted"); }},
        {"a_budget_above_one", "budgeted_steps(8000, 1.5)",
         "ValueError: --budget 1.5 is outside (0, 1]: give e.g. 1 for the full run, 0.1 for a tenth of it",
         [](auto&) { return std::to_string(budgeted_steps(8000, 1.5)); }},
        {"no_steps_to_budget", "budgeted_steps(0, 0.5)", "ValueError: --steps 0 must be at least 1",
         [](auto&) { return std::to_string(budgeted_steps(0, 0.5)); }},
        {"warmup_longer_than_training", "warmup_cosine(1e-3, 200, 100, 1e-4)", "ValueError: warmup_cosine: warmup_steps (200) must not exceed total_steps (100)",
         [](auto&) { return fmt::format("{}", warmup_cosine(1e-3f, 200, 100, 1e-4f)(0)); }},
        {"multinomial_of_a_nan_weight", "Generator(0).multinomial(Tensor{1, nan}, 1)", "ValueError: multinomial: weight nan at index 1 is not a finite number >= 0",
         [](auto&) { return std::to_string(Generator(0).multinomial(Tensor{1.0f, nan}, 1)[0]); }},
        {"multinomial_of_all_zero_weights", "Generator(0).multinomial(zeros({3}), 1)", "ValueError: multinomial: the weights sum to 0, so no index can be drawn",
         [](auto&) { return std::to_string(Generator(0).multinomial(zeros({3}), 1)[0]); }},
        // --- files ----------------------------------------------------------------------
        {"words_file_missing", "read_words(\"{dir}/missing.txt\")", "DataError: {dir}/missing.txt: cannot open the word list (No such file or directory)",
         [](const std::string& dir) { return std::to_string(read_words(dir + "/missing.txt").size()); }},
        {"words_file_with_a_non_ascii_line", "read_words(a file holding \"emma\\nzoë\\n\")", "DataError: {dir}/zoe.txt:2: character 'ë' (UTF-8 c3 ab) at column 3 is not a lowercase letter a-z (the vocabulary is '.' and a-z)",
         [](const std::string& dir) { return std::to_string(read_words(file(dir, "zoe.txt", "emma\nzo\xc3\xab\n")).size()); }},
        {"words_file_with_an_empty_line", "read_words(a file holding \"emma\\n\\nava\\n\")", "DataError: {dir}/gap.txt:2: empty line (expected one word per line)",
         [](const std::string& dir) { return std::to_string(read_words(file(dir, "gap.txt", "emma\n\nava\n")).size()); }},
        {"embeddings_file_empty_name", "read_embeddings(\"\")", "DataError: the embeddings file's name is empty (expected the path of a text file)",
         [](auto&) { return shown(read_embeddings("").vectors); }},
        {"embeddings_file_is_a_folder", "read_embeddings(\"{dir}\")", "DataError: {dir}: is a folder, not an embeddings file (expected a text file, one embedding per line)",
         [](const std::string& dir) { return shown(read_embeddings(dir).vectors); }},
        {"embeddings_file_ragged", "read_embeddings(a file holding \"a 1 2\\nb 3\\n\")", "DataError: {dir}/ragged.txt:2: this row has 1 value, but the row on line 1 has 2 (every embedding needs the same dimension)",
         [](const std::string& dir) { return shown(read_embeddings(file(dir, "ragged.txt", "a 1 2\nb 3\n")).vectors); }},
        {"embeddings_file_nan_value", "read_embeddings(a file holding \"a 1 nan\\n\")", "DataError: {dir}/nan.txt:1: 'nan' is not a finite number",
         [](const std::string& dir) { return shown(read_embeddings(file(dir, "nan.txt", "a 1 nan\n")).vectors); }},
        {"embeddings_file_value_too_large", "read_embeddings(a file holding \"a 1 1e40\\n\")", "DataError: {dir}/big.txt:1: '1e40' is too large for a float32 (expected numbers within about +-3.4e38)",
         [](const std::string& dir) { return shown(read_embeddings(file(dir, "big.txt", "a 1 1e40\n")).vectors); }},
        {"embeddings_file_only_comments", "read_embeddings(a file holding \"# nothing\\n\\n\")", "DataError: {dir}/empty.txt: no embeddings found (expected one per line: an optional token, then numbers)",
         [](const std::string& dir) { return shown(read_embeddings(file(dir, "empty.txt", "# nothing\n\n")).vectors); }},
        {"embeddings_file_non_ascii_token", "read_embeddings(a file holding \"café 1 2\\n\")", "café",
         [](const std::string& dir) { return read_embeddings(file(dir, "cafe.txt", "caf\xc3\xa9 1 2\n")).tokens[0]; }},
        // --- pictures -------------------------------------------------------------------
        {"heatmap_of_a_nan", "write_heatmap(\"{dir}/h.png\", Tensor{{0, nan}}, {\"a\"}, {\"b\", \"c\"}, \"t\")", "ValueError: write_heatmap: the value at (0, 1) is nan: a heatmap needs finite numbers",
         [](const std::string& dir) {
             write_heatmap(dir + "/h.png", Tensor{{0.0f, nan}}, {"a"}, {"b", "c"}, "t");
             return std::string("written");
         }},
        {"heatmap_into_a_folder_that_cannot_exist", "write_heatmap(\"{dir}/zoe.txt/h.png\", ...)", "DataError: {dir}/zoe.txt/h.png: cannot write the picture (Not a directory)",
         [](const std::string& dir) {
             file(dir, "zoe.txt", "emma\n");
             write_heatmap(dir + "/zoe.txt/h.png", Tensor{{0.0f, 1.0f}}, {"a"}, {"b", "c"}, "t");
             return std::string("written");
         }},
        {"colormap_of_nan", "colormap(nan)", "ValueError: colormap: t is nan; it takes a number from 0 to 1", [](auto&) { colormap(std::nan("")); return std::string("a colour"); }},
        {"character_outside_the_vocabulary", "stoi('A')", "ValueError: character 'A' is not in the vocabulary ('.' and a-z)", [](auto&) { return std::to_string(stoi('A')); }},
    };
}

}  // namespace

const std::vector<BadInput>& bad_inputs() {
    static const std::vector<BadInput> rows = make_rows();
    return rows;
}

std::string outcome(const BadInput& row, const std::string& dir) {
    try {
        return row.run(dir);
    } catch (const ShapeError& e) {
        return fmt::format("ShapeError: {}", e.what());
    } catch (const IndexError& e) {
        return fmt::format("IndexError: {}", e.what());
    } catch (const ValueError& e) {
        return fmt::format("ValueError: {}", e.what());
    } catch (const DataError& e) {
        return fmt::format("DataError: {}", e.what());
    } catch (const std::exception& e) {
        return fmt::format("not one of wb's errors: {}", e.what());
    }
}

}  // namespace wb::testing
