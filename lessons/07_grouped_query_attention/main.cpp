// Lesson 07: grouped-query and multi-query attention. Lesson 06's multi-head
// attention with fewer key/value heads than query heads, what that saves in
// parameters and, above all, in the KV cache, read off Llama 3.1 8B's table.
//
//   ./workbook run 07                              seed 123, d_out 8, 4 query heads, 2 K/V heads
//   ./workbook run 07 --heads 6 --kv-heads 2 --d-out 12 --seed 42
//   ./workbook run 07 --no-plots                   without the pictures (each query head's weights)
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/attention.hpp"
#include "lib/book_inputs.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/grouped_query_attention.hpp"
#include "lib/lesson.hpp"
#include "lib/model_config.hpp"
#include "lib/multi_head_attention.hpp"
#include "lib/ops.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/yours.hpp"
#include "lib/random.hpp"

using namespace wb;

namespace {

void check_flags(int d_out, int heads, int kv_heads) {
    check_flag_range("--d-out", d_out, 1, 64, "a width");
    if (heads < 1) throw ValueError(fmt::format("--heads {} is not a number of heads: it takes a divisor of {}", heads, d_out));
    if (d_out % heads != 0)
        throw ValueError(fmt::format("--heads {} does not divide --d-out {}: the query heads split d_out equally",
                                     heads, d_out));
    if (kv_heads < 1 || heads % kv_heads != 0)
        throw ValueError(fmt::format("--kv-heads {} does not divide --heads {}: each K/V head serves an equal group "
                                     "of query heads (it takes a divisor of {})",
                                     kv_heads, heads, heads));
}

std::string count_line(const std::string& what, std::uint64_t n) {
    return fmt::format("  {:<38}{:>14}", what, format_count(n));
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t seed = 123;
    int d_out_flag = 8, heads_flag = 4, kv_heads_flag = 2;
    Flags flags("lesson07", "Lesson 07: grouped-query and multi-query attention");
    flags.add("--seed", seed, "N", "torch.manual_seed before each module is built (default 123)");
    flags.add("--d-out", d_out_flag, "N", "the width of the queries and of the output (default 8)");
    flags.add("--heads", heads_flag, "N", "query heads (default 4); must divide --d-out");
    flags.add("--kv-heads", kv_heads_flag, "N", "key/value heads (default 2); must divide --heads");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson07");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        check_flags(d_out_flag, heads_flag, kv_heads_flag);
        const auto d_out = static_cast<std::size_t>(d_out_flag), H = static_cast<std::size_t>(heads_flag),
                   H_kv = static_cast<std::size_t>(kv_heads_flag);
        const std::size_t head_dim = d_out / H, groups = H / H_kv;
        const Embeddings e = your_journey_starts_with_one_step();
        const Tensor batch = stack({e.vectors, e.vectors});
        pictures.create();
        // With `./workbook run 07 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();

        section("Grouped-query attention: fewer key/value heads, each shared by a group");
        note(fmt::format("{} query heads of {}, but only {} key/value heads: each serves a group of {} query heads.",
                         H, head_dim, H_kv, groups));

        heading("Which K/V head each query head reads");
        Generator g(seed);
        GroupedQueryAttention gqa(3, d_out, 6, 0.0, H, H_kv, g);
        const auto kv_head_of = [&gqa](std::size_t query_head, std::size_t, std::size_t) { return gqa.kv_head_of(query_head); };
        for (std::size_t h = 0; h < H; ++h)
            note(fmt::format("  query head {} reads K/V head {}", h, yours.step("7.1", kv_head_of, h, H, H_kv)));

        heading(fmt::format("GroupedQueryAttention(d_in=3, d_out={}, num_heads={}, num_kv_heads={}), "
                            "torch.manual_seed({})",
                            d_out, H, H_kv, seed));
        print("W_query.weight.shape:", gqa.W_query.weight.shape());
        print("W_key.weight.shape:  ", gqa.W_key.weight.shape());
        print("W_value.weight.shape:", gqa.W_value.weight.shape());
        note(fmt::format("W_key and W_value make {} x {} numbers per token, not {}: the saving in parameters.", H_kv,
                         head_dim, d_out));

        heading("The keys, one matrix per K/V head (first sequence): (num_kv_heads, tokens, head_dim)");
        const Tensor keys = split_heads(gqa.W_key.forward(batch), H_kv);
        print(keys.row(0));

        heading(fmt::format("repeat_kv: each K/V head copied to its {} query heads: (num_heads, tokens, head_dim)",
                            groups));
        print(yours.step("7.2", repeat_kv, keys, groups).row(0));
        note("Heads of one group read the same keys and values; their own queries still make their patterns differ.");

        const Tensor out = gqa.forward(batch);
        heading("Each query head's attention weights (first sequence)");
        for (std::size_t h = 0; h < H; ++h) {
            note(fmt::format("query head {} (K/V head {}):", h, gqa.kv_head_of(h)));
            print_alignment(gqa.attn_weights().row(0).row(h), e.tokens, e.tokens);
            if (pictures.on())
                write_heatmap(pictures.file(fmt::format("query_head{}_attention_weights.png", h)),
                              gqa.attn_weights().row(0).row(h), e.tokens, e.tokens,
                              fmt::format("lesson 07: query head {} of {}, reading K/V head {}", h, H, gqa.kv_head_of(h)),
                              {.decimals = 4, .row_title = "query", .col_title = "key"});
        }

        heading("The output");
        print(out);
        print("context_vecs.shape:", out.shape());

        section("One module, three names: MHA, GQA, MQA");

        heading(fmt::format("num_kv_heads = {}: a K/V head per query head, lesson 06's MultiHeadAttention", H));
        Generator g_mha(seed), g_check(seed);
        GroupedQueryAttention as_mha(3, d_out, 6, 0.0, H, H, g_mha);
        MultiHeadAttention mha(3, d_out, 6, 0.0, H, g_check);
        const Tensor mha_out = as_mha.forward(batch);
        print(mha_out);
        note(fmt::format("The same numbers as MultiHeadAttention(3, {}, num_heads={}) from the same seed: {}", d_out, H,
                         mha_out.values() == mha.forward(batch).values() ? "yes, bit for bit" : "NO"));

        heading("num_kv_heads = 1: multi-query attention, one K/V head for all query heads");
        Generator g_mqa(seed);
        GroupedQueryAttention mqa(3, d_out, 6, 0.0, H, 1, g_mqa);
        print(mqa.forward(batch));

        heading("Parameters of the three");
        note(count_line(fmt::format("MHA ({} K/V heads)", H), as_mha.num_parameters()));
        note(count_line(fmt::format("GQA ({} K/V heads)", H_kv), gqa.num_parameters()));
        note(count_line("MQA (1 K/V head)", mqa.num_parameters()));
        note("Only W_key and W_value shrink; W_query and out_proj stay d_out wide.");

        section("Llama 3.1 8B, from its architecture table");
        const ModelConfig llama = llama_3_1_8b();
        const ParameterCount p = count_parameters(llama);
        note(fmt::format("  layers {}, d_model {}, FFN {}, query heads {}, K/V heads {}, head_dim {},", llama.layers,
                         format_count(llama.d_model), format_count(llama.ffn_dim), llama.heads, llama.kv_heads,
                         llama.head_dim));
        note(fmt::format("  vocabulary {}, RoPE base {}, context {} tokens (lesson 11 is about RoPE)",
                         format_count(llama.vocab), format_count(static_cast<std::uint64_t>(llama.rope_base)),
                         format_count(llama.context)));

        heading("Its parameters, counted from the table");
        const std::string d_model = format_count(llama.d_model), q_width = format_count(llama.heads * llama.head_dim),
                          kv_width = format_count(llama.kv_heads * llama.head_dim);
        note(count_line(fmt::format("q_proj   {} x {}", d_model, q_width), p.q_proj));
        note(count_line(fmt::format("k_proj   {} x {} ({} x {})", d_model, kv_width, llama.kv_heads, llama.head_dim),
                        p.k_proj));
        note(count_line(fmt::format("v_proj   {} x {}", d_model, kv_width), p.v_proj));
        note(count_line(fmt::format("o_proj   {} x {}", q_width, d_model), p.o_proj));
        note(count_line("attention, one layer", p.attention_per_layer));
        note(count_line(fmt::format("attention, {} layers", llama.layers), p.attention));
        note(count_line("feed-forward, one layer (3 matrices)", p.ffn_per_layer));
        note(count_line(fmt::format("token embedding {} x {}", format_count(llama.vocab), d_model), p.embedding));
        note(count_line("the whole model", p.total));
        note("Attention is about a sixth of the model; the feed-forward layers hold most of it (lesson 09).");

        heading("Had it used MHA or MQA: K/V projections (32 layers) and the whole model");
        note(fmt::format("  {:<20}{:>16}{:>16}", "", "W_key + W_value", "model"));
        for (const auto& [label, kv] : {std::pair{"MHA", llama.heads}, {"GQA", llama.kv_heads}, {"MQA", 1ul}}) {
            ModelConfig variant = llama;
            variant.kv_heads = kv;
            const ParameterCount v = count_parameters(variant);
            const std::string heads = fmt::format("{} ({} K/V head{})", label, kv, kv == 1 ? "" : "s");
            note(fmt::format("  {:<20}{:>16}{:>16}", heads, format_count(v.kv_proj), format_count(v.total)));
        }

        section("The KV cache: what grouped-query attention is for");
        note("Generating a token, every layer needs the keys and values of all the tokens before it; recomputing");
        note("them each time is quadratic work, so they are kept: 2 (K and V) x layers x K/V heads x head_dim numbers");
        note("per token. Llama 3.1 8B in bf16 (2 bytes a number), 32 layers, head_dim 128:");
        heading(fmt::format("KV cache per token and at the full context of {} tokens", format_count(llama.context)));
        note("        K/V heads  bytes per token    at full context");
        for (const auto& [label, kv] : {std::pair{"MHA", llama.heads}, {"GQA", llama.kv_heads}, {"MQA", 1ul}}) {
            const std::uint64_t per_token = kv_cache_bytes(llama.layers, kv, llama.head_dim, 2, 1);
            const std::uint64_t at_context = kv_cache_bytes(llama.layers, kv, llama.head_dim, 2, llama.context);
            note(fmt::format("  {:<4}{:>10}{:>13} ({}){:>14}", label, kv, format_count(per_token),
                             format_bytes(per_token), format_bytes(at_context)));
        }
        note(fmt::format("With GQA a full context needs {} beside the {} of the weights themselves (bf16);",
                         format_bytes(kv_cache_bytes(llama.layers, llama.kv_heads, llama.head_dim, 2, llama.context)),
                         format_bytes(2 * p.total)));
        const std::uint64_t bf16 = 2;  // exercise 7.3 computes the GQA row's full context
        yours.compare("7.3", kv_cache_bytes(llama.layers, llama.kv_heads, llama.head_dim, bf16, llama.context),
                      llama.layers, llama.kv_heads, llama.head_dim, bf16, llama.context);
        note("with MHA the cache alone would need four times that. MQA saves more but shares one K/V head among all");
        note("32 query heads, which costs quality; GQA's groups of 4 are the compromise (Ainslie et al. 2023).");
        yours.print_summary();
        pictures.print_where();
    });
}
