// Lesson 06: multi-head attention. Follows "Build a Large Language Model (From
// Scratch)", section 3.6, then counts where the parameters go (GPT-2's attention,
// and 3Blue1Brown's accounting of GPT-3), and ends with cross-attention.
//
//   ./workbook run 06                          the book's seed 123, d_out 2, 2 heads
//   ./workbook run 06 --seed 42 --d-out 4      other weights, wider heads
//   ./workbook run 06 --no-plots               without the pictures (each head's weights, the cross-attention)
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/attention.hpp"
#include "lib/book_inputs.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/linear.hpp"
#include "lib/multi_head_attention.hpp"
#include "lib/ops.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/yours.hpp"
#include "lib/random.hpp"

using namespace wb;

int main(int argc, char** argv) {
    std::uint64_t seed = 123;
    int d_out_flag = 2, heads_flag = 2;
    Flags flags("lesson06", "Lesson 06: multi-head attention (book section 3.6)");
    flags.add("--seed", seed, "N", "torch.manual_seed before each module is built (book: 123)");
    flags.add("--d-out", d_out_flag, "N", "d_out: each wrapper head's width, and MultiHeadAttention's total (book: 2)");
    flags.add("--heads", heads_flag, "N", "the number of heads (book: 2); must divide --d-out");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson06");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        check_flag_range("--d-out", d_out_flag, 1, 64, "a width");
        if (heads_flag < 1 || d_out_flag % heads_flag != 0)
            throw ValueError(fmt::format("--heads {} does not divide --d-out {}: MultiHeadAttention splits d_out into "
                                         "equal heads",
                                         heads_flag, d_out_flag));
        const std::size_t d_out = static_cast<std::size_t>(d_out_flag), num_heads = static_cast<std::size_t>(heads_flag);
        const Embeddings e = your_journey_starts_with_one_step();
        const Tensor& inputs = e.vectors;
        const std::size_t d_in = inputs.size(1), context_length = inputs.size(0);
        const Tensor batch = stack({inputs, inputs});
        pictures.create();
        // With `./workbook run 06 --mine`, your exercises are compared at the steps that compute the same.
        YourExercises yours = your_exercises();

        section("3.6.1 Stacking multiple single-head attention layers");

        heading("The batch: two copies of the six tokens");
        print(batch.shape());

        heading(fmt::format("MultiHeadAttentionWrapper: {} CausalAttention heads of d_out={}, torch.manual_seed({})",
                            num_heads, d_out, seed));
        Generator gw(seed);
        MultiHeadAttentionWrapper wrapper(d_in, d_out, context_length, 0.0, num_heads, gw);
        const Tensor wrapper_out = wrapper.forward(batch);
        print(wrapper_out);
        print("context_vecs.shape:", wrapper_out.shape());
        note("Each head's context vectors sit side by side: the first head's are lesson 05's.");

        section("3.6.2 Implementing multi-head attention with weight splits");

        heading("Batched matrix multiplication over heads: a @ a.transpose(2, 3), a of shape (1, 2, 3, 4)");
        const Tensor a = Tensor(Shape{1, 2, 3, 4}, {0.2745f, 0.6584f, 0.2775f, 0.8573f, 0.8993f, 0.0390f, 0.9268f, 0.7388f,
                                                    0.7179f, 0.7058f, 0.9156f, 0.4340f, 0.0772f, 0.3565f, 0.1479f, 0.5331f,
                                                    0.4066f, 0.2318f, 0.4545f, 0.9737f, 0.4606f, 0.5159f, 0.4220f, 0.5786f});
        print(matmul(a, transpose(a, 2, 3)));

        heading("The same, one head at a time");
        for (std::size_t h = 0; h < 2; ++h) {
            const Tensor head = a.row(0).row(h);  // a[0, h, :, :]
            print(fmt::format("Head {}:\n", h + 1), matmul(head, T(head)));
        }

        heading(fmt::format("MultiHeadAttention(d_in=3, d_out={}, num_heads={}), torch.manual_seed({})", d_out,
                            num_heads, seed));
        note(fmt::format("One W_query, W_key, W_value of width {}, split into {} heads of {}; then out_proj mixes them.",
                         d_out, num_heads, d_out / num_heads));
        Generator gm(seed);
        MultiHeadAttention mha(d_in, d_out, context_length, 0.0, num_heads, gm);
        const Tensor context_vecs = mha.forward(batch);
        print(context_vecs);
        print("context_vecs.shape:", context_vecs.shape());
        // exercises 6.1 and 6.2 are the reshapes inside forward: the queries split into heads, and back
        const Tensor queries = mha.W_query.forward(batch);
        yours.compare("6.1", split_heads(queries, num_heads), queries, num_heads);
        yours.compare("6.2", queries, split_heads(queries, num_heads));

        heading("Each head's attention weights (first sequence of the batch)");
        for (std::size_t h = 0; h < num_heads; ++h) {
            note(fmt::format("head {}:", h + 1));
            print_alignment(mha.attn_weights().row(0).row(h), e.tokens, e.tokens);
            if (pictures.on())
                write_heatmap(pictures.file(fmt::format("head{}_attention_weights.png", h + 1)),
                              mha.attn_weights().row(0).row(h), e.tokens, e.tokens,
                              fmt::format("lesson 06: MultiHeadAttention, head {} of {}", h + 1, num_heads),
                              {.decimals = 4, .row_title = "query", .col_title = "key"});
        }

        section("Where the parameters go");

        heading("GPT-2 (small): d_in = d_out = 768, 12 heads, no qkv bias");
        note(fmt::format("  W_query, W_key, W_value   3 x 768 x 768     {:>13}", format_count(3 * 768 * 768)));
        note(fmt::format("  out_proj (with bias)      768 x 768 + 768   {:>13}", format_count(768 * 768 + 768)));
        note(fmt::format("  MultiHeadAttention(768, 768, num_heads=12)  {:>13}",
                         format_count(multi_head_attention_parameters(768, 768, false))));
        yours.compare("6.4", multi_head_attention_parameters(768, 768, false));
        note("The heads do not change the count: 12 heads of 64 use the same three 768 x 768 matrices.");
        Generator gp(seed);
        const MultiHeadAttentionWrapper wrapper_gpt2(768, 64, 1024, 0.0, 12, gp);
        note(fmt::format("  the wrapper, 12 CausalAttention heads of 64 (no out_proj) {:>13}",
                         format_count(wrapper_gpt2.num_parameters())));

        heading("3Blue1Brown's accounting of GPT-3: d_model 12,288, query/key space 128, 96 heads, 96 layers");
        const AttentionAccounting gpt3 = account_attention(12288, 128, 96, 96);
        note(fmt::format("  query       12,288 x 128   {:>16}", format_count(gpt3.query)));
        note(fmt::format("  key         12,288 x 128   {:>16}", format_count(gpt3.key)));
        note(fmt::format("  value down  12,288 x 128   {:>16}", format_count(gpt3.value_down)));
        note(fmt::format("  value up    128 x 12,288   {:>16}", format_count(gpt3.value_up)));
        note(fmt::format("  per head                   {:>16}", format_count(gpt3.per_head)));
        note(fmt::format("  per block (96 heads)       {:>16}", format_count(gpt3.per_block)));
        note(fmt::format("  all attention (96 layers)  {:>16}", format_count(gpt3.total)));

        heading("The value map as 'value down' then 'value up' (torch.manual_seed(123), d_model 6, head 2)");
        Generator gv(123);
        const Tensor value_down = gv.rand({6, 2}), value_up = gv.rand({2, 6});
        const Tensor value_map = matmul(value_down, value_up);
        print("value_down @ value_up, a 6x6 map of rank 2:\n", value_map);
        const Tensor x = gv.rand({3, 6});
        print("x @ value_down @ value_up:\n", matmul(matmul(x, value_down), value_up));
        print("x @ value_map:\n", matmul(x, value_map));
        note("The same numbers: 2 x 6 x 2 = 24 parameters do the work of a 6 x 6 = 36 map.");

        section("Cross-attention: queries from one sequence, keys and values from another");
        note("An encoder-decoder translator (lesson 13) lets each word being written attend to the source sentence:");
        note("the queries come from the decoder, keys and values from the encoder, and there is no causal mask.");
        note("GPT-style models are decoder-only: they use self-attention alone, as in lessons 03-05.");
        const std::vector<std::string> french = {"Ton", "voyage", "commence", "avec"};
        const Tensor decoder = {{0.40f, 0.20f, 0.85f}, {0.50f, 0.90f, 0.60f}, {0.60f, 0.80f, 0.70f}, {0.25f, 0.55f, 0.30f}};
        Generator gx(seed);
        const Linear W_query(d_in, d_out, false, gx), W_key(d_in, d_out, false, gx), W_value(d_in, d_out, false, gx);
        const Attention cross = scaled_dot_product_attention(W_query.forward(decoder), W_key.forward(inputs),
                                                             W_value.forward(inputs), Tensor());
        heading(fmt::format("The 4 x 6 alignment matrix (untrained weights, torch.manual_seed({}))", seed));
        print_alignment(cross.weights, french, e.tokens);
        note("Each row sums to 1 over the source tokens; training would make it pick the word being translated.");
        print("context_vecs.shape:", cross.context.shape());

        if (pictures.on())
            write_heatmap(pictures.file("cross_attention_weights.png"), cross.weights, french, e.tokens,
                          "lesson 06: cross-attention, French queries on English keys",
                          {.decimals = 4, .row_title = "decoder query", .col_title = "encoder key"});
        yours.print_summary();
        pictures.print_where();
    });
}
