// Lesson 11: attention at long context. Three ideas that let a model read and write
// long texts: the KV cache (generation without recomputing the prefix), RoPE
// (positions as rotations, as Llama does it), and FlashAttention's online softmax
// (attention without ever holding the T x T matrix), first by hand on the book's
// six tokens, then as a tiled kernel.
//
//   ./workbook run 11                 the walkthrough (well under a second)
//   ./workbook run 11 --timing        also time generation with and without the cache (about 10 s)
//   ./workbook run 11 --no-plots      without the pictures (RoPE's scores, the kernel's tiles)
//   ./workbook bench 11               the tiled kernel against the dense path and PyTorch, T = 1,024 ... 32,768
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/attention.hpp"
#include "lib/book_inputs.hpp"
#include "lib/flags.hpp"
#include "lib/flash_attention.hpp"
#include "lib/gpt.hpp"
#include "lib/kv_cache.hpp"
#include "lib/lesson.hpp"
#include "lib/model_config.hpp"
#include "lib/ops.hpp"
#include "lib/picture.hpp"
#include "lib/print.hpp"
#include "lib/random.hpp"
#include "lib/rope.hpp"
#include "lib/yours.hpp"
#include "lib/self_attention.hpp"
#include "timing.hpp"

using namespace wb;

namespace {

const char* const kText = ".your.journey.starts.with.one.step";

std::vector<std::size_t> token_ids(const std::string& text) {
    std::vector<std::size_t> ids;
    for (const char c : text) ids.push_back(c == '.' ? 0 : static_cast<std::size_t>(c - 'a' + 1));
    return ids;
}

// rows [k0, k0 + n) of x
Tensor rows(const Tensor& x, std::size_t k0, std::size_t n) {
    Tensor out = zeros({n, x.size(1)});
    for (std::size_t j = 0; j < n; ++j)
        for (std::size_t c = 0; c < x.size(1); ++c) out(j, c) = x(k0 + j, c);
    return out;
}

float largest_difference(const Tensor& a, const Tensor& b) {
    float m = 0.0f;
    for (std::size_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(a.values()[i] - b.values()[i]));
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    bool timing = false;
    Flags flags("lesson11", "Lesson 11: attention at long context (KV cache, RoPE, online softmax)");
    flags.add_switch("--timing", timing, "also time generating 64 ... 512 tokens with and without the KV cache (about 10 s)");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson11");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        pictures.create();
        // With `./workbook run 11 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();

        section("The KV cache: a new token without recomputing the old ones");
        const GPTConfig cfg{.vocab_size = 27, .context_length = 1024, .emb_dim = 64, .n_heads = 4, .n_layers = 2};
        Generator g(123);
        GPTModel model(cfg, g);
        heading("GPTModel(vocab_size=27, context_length=1024, emb_dim=64, n_heads=4, n_layers=2), "
                "torch.manual_seed(123), untrained");
        note(fmt::format("It reads \"{}\" one character at a time, as it would while generating.", kText));
        note("With the cache, each step runs one new row through the layers and appends its keys and values;");
        note("without, each step runs the whole prefix again: rows whose results cannot have changed, because");
        note("under the causal mask no token ever reads a later one.");
        const std::vector<std::size_t> ids = token_ids(kText);
        CachedGPT cached(model);
        std::vector<std::size_t> prefix;
        Tensor with_cache, without_cache;
        float worst = 0.0f;
        for (const std::size_t id : ids) {
            prefix.push_back(id);
            with_cache = cached.step(id);
            without_cache = last_logits(model, prefix);
            worst = std::max(worst, largest_difference(with_cache, without_cache));
        }
        heading(fmt::format("The logits after the last character, with the cache (step {})", ids.size()));
        print(with_cache);
        heading(fmt::format("The same, recomputing all {} tokens", ids.size()));
        print(without_cache);
        note(fmt::format("At each of the {} steps the two agree within 1e-5: {}", ids.size(), worst < 1e-5f ? "yes" : "NO"));

        heading("What the cache holds: 2 (K and V) x layers x tokens x emb_dim float32 numbers");
        const std::uint64_t per_token = kv_cache_bytes(cfg.n_layers, cfg.n_heads, cfg.emb_dim / cfg.n_heads, 4, 1);
        note(fmt::format("  per token:            {:>11} bytes (2 x 2 layers x 4 heads x 16 x 4 bytes)",
                         format_count(per_token)));
        note(fmt::format("  after {} tokens:      {:>11} bytes", ids.size(), format_count(cached.cache_bytes())));
        note(fmt::format("  at the full context:  {:>11} bytes ({}, {} tokens)",
                         format_count(kv_cache_bytes(cfg.n_layers, cfg.n_heads, 16, 4, cfg.context_length)),
                         format_bytes(kv_cache_bytes(cfg.n_layers, cfg.n_heads, 16, 4, cfg.context_length)),
                         format_count(cfg.context_length)));
        const ModelConfig llama = llama_3_1_8b();
        note(fmt::format("Lesson 07's formula on Llama 3.1 8B (bf16, 8 K/V heads): {} bytes a token, {} at {} tokens:",
                         format_count(kv_cache_bytes(llama.layers, llama.kv_heads, llama.head_dim, 2, 1)),
                         format_bytes(kv_cache_bytes(llama.layers, llama.kv_heads, llama.head_dim, 2, llama.context)),
                         format_count(llama.context)));
        note("the cache trades memory for time, and at long context the memory is what runs out.");
        note("Per new token t the cache does about L (12 C^2 + 2 (t+1) C) multiply-adds; recomputing, about");
        note("(t+1) times the first term plus (t+1)^2 C a layer: total time linear against quadratic in the");
        note(timing ? "length (measured below)." : "length (--timing measures it).");

        section("RoPE: positions as rotations of the queries and keys");
        note("Llama adds no position vector to the input (the GPT above does: pos_emb). It turns each query and");
        note("key instead: pair i of a head's numbers by the angle m * theta_i at position m (RoFormer, Su et");
        note("al. 2021). Layout: Hugging Face's Llama, pair i = (x[i], x[i + d/2]) (rotate_half); RoFormer");
        note("pairs (x[2i], x[2i+1]), the same up to a fixed reordering of the head's dimensions.");
        heading("theta_i = 10000^(-2i/d) for d = 8: the first pair turns by 1 radian a token, the last by 0.001");
        print(Tensor({4}, rope_inverse_frequencies(8)));

        Generator gr(123);
        const Tensor q = gr.randn({8}), k = gr.randn({8});
        heading("q = torch.randn(8) after torch.manual_seed(123), at positions 0, 1, 2, 3 (a row each)");
        const auto rope_at = [](const Tensor& x, std::size_t m) {  // exercise 11.2: one vector at one position
            return apply_rope(stack({x}), std::vector<std::size_t>{m}).row(0);
        };
        std::vector<Tensor> turned;
        for (std::size_t m = 0; m < 4; ++m) turned.push_back(yours.step("11.2", rope_at, q, m));
        print(stack(turned));
        note("Position 0 leaves q as it is; a rotation never changes a vector's length.");

        const auto score_table = [&](std::size_t start) {
            std::vector<std::size_t> positions;
            for (std::size_t p = start; p < start + 6; ++p) positions.push_back(p);
            return matmul(apply_rope(stack({q, q, q, q, q, q}), positions),
                          T(apply_rope(stack({k, k, k, k, k, k}), positions)));
        };
        heading("Scores rope(q, m) . rope(k, n), k = the next torch.randn(8): row m, column n, positions 0..5");
        print(score_table(0));
        note("Every diagonal holds one number: the score depends on m - n only, not on where the pair sits.");
        heading("The same two vectors at positions 1000..1005");
        print(score_table(1000));
        heading("Without RoPE every cell would be q . k");
        print(dot(q, k));

        heading("Wavelengths: tokens per full turn of pair i of a 128-wide head (2 pi / theta_i)");
        note(fmt::format("  {:<12}{:>13}  {:>13}  {:>13}  {:>13}  {:>13}", "base", "pair 0", "pair 16", "pair 32",
                         "pair 48", "pair 63"));
        for (const double base : {kRopeBase, llama.rope_base}) {
            const std::vector<float> f = rope_inverse_frequencies(128, base);
            std::string line = fmt::format("  {:<12}", format_count(static_cast<std::uint64_t>(base)));
            for (const std::size_t i : {0, 16, 32, 48, 63})
                line += fmt::format("{:>13}  ", format_count(static_cast<std::uint64_t>(
                                                    std::llround(2.0 * 3.141592653589793 / static_cast<double>(f[i])))));
            note(line.substr(0, line.size() - 2));
        }
        note("With base 10,000 the slowest pair turns once in about 54,000 tokens; Llama 3 and 3.1 raise the base");
        note("to 500,000 (2.6 million), so even 131,072 tokens apart two positions still look different (3.1 also");
        note("stretches its lowest frequencies by a factor of 8, rope_scaling \"llama3\").");

        section("The online softmax, worked by hand on the book's six tokens");
        const Embeddings e = your_journey_starts_with_one_step();
        Generator g2(789);
        const SelfAttention_v2 sa_v2(3, 2, g2);
        const Tensor queries = sa_v2.W_query.forward(e.vectors), keys = sa_v2.W_key.forward(e.vectors),
                     values = sa_v2.W_value.forward(e.vectors);
        note("Lesson 05's SelfAttention_v2 (torch.manual_seed(789), d_out 2). Softmax needs a row's largest score");
        note("and its sum before the first weight is known; the online softmax reads the keys a block at a time");
        note("and keeps, per query, the largest scaled score m so far, the sum l of exp(score - m), and the");
        note("average of the values so far. A block with a larger score rescales what was kept by exp(m_old - m).");
        heading("The values, one row per token");
        print(values);
        PartialAttention state = empty_partial(6, 2);
        for (std::size_t b = 0; b < 3; ++b) {
            const std::size_t k0 = 2 * b;
            Tensor future = zeros({6, 2});  // key k0 + j is in query i's future when k0 + j > i
            for (std::size_t i = 0; i < 6; ++i)
                for (std::size_t j = 0; j < 2; ++j) future(i, j) = k0 + j > i ? 1.0f : 0.0f;
            state = yours.step(  // exercise 11.1
                "11.1", [](const PartialAttention& a, const PartialAttention& b) { return merge(a, b); }, state,
                attend_block(queries, rows(keys, k0, 2), rows(values, k0, 2), future));
            heading(fmt::format("Block {} of 3: keys {} and {} ({}, {})", b + 1, k0, k0 + 1, e.tokens[k0], e.tokens[k0 + 1]));
            if (b == 0) note("Every query sees key 0; query 0 cannot see key 1, its future.");
            if (b == 1) {
                note("Queries 0 and 1 skip this block (their future): their rows do not change. Key 0 holds every");
                note("query's largest score here, so m stays put and nothing is rescaled (exercise 11.1's keys do).");
            }
            if (b == 2) note("Only queries 4 and 5 read this block; query 4 only its first key.");
            print("running max m:", state.max);
            print("running sum l:", state.sum);
            note("output so far (the values averaged over the keys seen):");
            print(state.out);
        }
        heading("Lesson 05's way, all at once: softmax(masked scores / sqrt(2)) @ values");
        const Tensor context = scaled_dot_product_attention(queries, keys, values, causal_mask(6)).context;
        print(context);
        // exercise 11.3 computes the last token's row from the cache of the five before it
        yours.compare("11.3", context.row(5), queries.row(5), keys.row(5), values.row(5), rows(keys, 0, 5),
                      rows(values, 0, 5));
        note("The same numbers: the last block's output is the causal attention's context.");

        section("A tiled kernel: causal attention that never holds the T x T matrix");
        note("flash_attention (lib/flash_attention.hpp) takes the queries 128 at a time against the keys 128 at a");
        note("time: a 128 x 128 tile of scores (an OpenBLAS product), the online softmax row by row, then the tile");
        note("of weights times the values into a 128 x 64 accumulator. Tiles above the diagonal are skipped.");
        heading("The tiles for T = 1,000 in blocks of 128 (# computed, \\ on the diagonal: masked inside, . skipped)");
        const std::size_t T_demo = 1000, block = 128, n_blocks = (T_demo + block - 1) / block;
        Tensor tiles = zeros({n_blocks, n_blocks});
        for (std::size_t i = 0; i < n_blocks; ++i) {
            std::string line = "  ";
            for (std::size_t j = 0; j < n_blocks; ++j) {
                tiles(i, j) = j < i ? 1.0f : j == i ? 0.5f : 0.0f;
                line += j < i ? "# " : j == i ? "\\ " : ". ";
            }
            note(line.substr(0, line.size() - 1));
        }
        note(fmt::format("{} of {} tiles computed ({} on the diagonal), {} skipped", n_blocks * (n_blocks + 1) / 2,
                         n_blocks * n_blocks, n_blocks, n_blocks * (n_blocks - 1) / 2));
        Generator gf(0);
        const Tensor fq = gf.randn({T_demo, 64}), fk = gf.randn({T_demo, 64}), fv = gf.randn({T_demo, 64});
        const Tensor tiled = flash_attention(fq, fk, fv);
        const Tensor dense = scaled_dot_product_attention(fq, fk, fv, causal_mask(T_demo)).context;
        heading("q, k, v = torch.randn(1000, 64) each (torch.manual_seed(0)): the last 3 queries, channels 0..3");
        Tensor corner = zeros({3, 4});
        for (std::size_t i = 0; i < 3; ++i)
            for (std::size_t c = 0; c < 4; ++c) corner(i, c) = tiled(T_demo - 3 + i, c);
        print(corner);
        note(fmt::format("Every output within 1e-5 of the dense path (the T x T matrix): {}",
                         largest_difference(tiled, dense) < 1e-5f ? "yes" : "NO"));
        heading("Memory beyond the inputs and the output, float32, head width 64");
        note(fmt::format("  {:>9}  {:>22}  {:>34}", "T", "dense: T x T scores", "tiled: a tile and an accumulator"));
        for (const std::uint64_t T_mem : {1024ull, 4096ull, 32768ull, 131072ull})
            note(fmt::format("  {:>9}  {:>22}  {:>34}", format_count(T_mem), format_bytes(T_mem * T_mem * 4),
                             format_bytes((block * block + block * 64) * 4) + " per thread"));
        note("./workbook bench 11 times both against sgemm's speed and PyTorch, up to T = 32,768.");

        if (timing) time_generation(model, cfg);

        if (pictures.on()) {
            Generator gp(123);
            const Tensor pq = gp.randn({64}), pk = gp.randn({64});
            std::vector<std::size_t> positions;
            std::vector<std::string> labels;
            for (std::size_t p = 0; p < 32; ++p) {
                positions.push_back(p);
                labels.push_back(std::to_string(p));
            }
            std::vector<Tensor> qs(32, pq), ks(32, pk);
            write_heatmap(pictures.file("rope_scores.png"),
                          matmul(apply_rope(stack(qs), positions), T(apply_rope(stack(ks), positions))), labels, labels,
                          "lesson 11: rope(q, m) . rope(k, n), d = 64: constant along each diagonal",
                          {.show_values = false, .row_title = "query position m", .col_title = "key position n"});
            std::vector<std::string> block_labels;
            for (std::size_t i = 0; i < n_blocks; ++i) block_labels.push_back(std::to_string(i * block));
            write_heatmap(pictures.file("flash_tiles.png"), tiles, block_labels, block_labels,
                          "lesson 11: tiles of 128 for T = 1,000: 1 computed, 0.5 diagonal, 0 skipped",
                          {.decimals = 1, .row_title = "query block", .col_title = "key block"});
            write_heatmap(pictures.file("online_softmax_weights.png"),
                          scaled_dot_product_attention(queries, keys, values, causal_mask(6)).weights, e.tokens,
                          e.tokens, "lesson 11: the weights the three blocks of 2 keys add up to (lesson 05's)",
                          {.decimals = 2, .vmin = 0.0, .vmax = 1.0, .row_title = "query", .col_title = "key"});
        }
        yours.print_summary();
        pictures.print_where();
    });
}
