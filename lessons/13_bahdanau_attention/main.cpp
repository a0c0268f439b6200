// Lesson 13: where attention came from. Before transformers, translation was done by
// an RNN encoder-decoder (Cho et al. 2014; Sutskever et al. 2014): the encoder reads
// the sentence into one vector, the decoder writes the translation from it. Bahdanau,
// Cho & Bengio (2014) let the decoder look back at every input position instead,
// through weights it computes at each step: attention. This lesson trains both on a
// toy translation that needs alignment, reversing a name, and compares them.
//
//   ./workbook run 13                   the full run: both models (a few minutes)
//   ./workbook run 13 --budget 0.1      a tenth of the steps, for a quick look
//   ./workbook run 13 --example julia   the alignment of another name
//   ./workbook run 13 --no-timing       leave out the speed lines (what the golden test does)
//   ./workbook run 13 --no-plots        without the pictures (the alignment, the loss curves)
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lessons/13_bahdanau_attention/reversal.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/layers.hpp"
#include "lib/lesson.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/ops.hpp"
#include "lib/picture.hpp"
#include "lib/plot.hpp"
#include "lib/print.hpp"
#include "lib/seq2seq.hpp"
#include "lib/words.hpp"
#include "lib/yours.hpp"

using namespace wb;

namespace {

std::vector<std::string> letters(const std::string& s) {
    std::vector<std::string> out;
    for (const char c : s) out.emplace_back(1, c);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::string data = WB_SOURCE_DIR "/data/names.txt";
    std::string example = "alexandra";
    int steps = 6000, batch = 32, hidden = 64;
    double budget = 1.0, max_lr = 3e-3;
    std::uint64_t seed = 42;
    bool no_timing = false;
    Flags flags("lesson13", "Lesson 13: the RNN encoder-decoder bottleneck and Bahdanau attention");
    flags.add("--data", data, "FILE", "word list to learn from, one lowercase word per line");
    flags.add("--steps", steps, "N", "training steps of each model at --budget 1 (6000)");
    flags.add("--budget", budget, "F", "the share of --steps to run, above 0 and at most 1 (0.1: a quick run)");
    flags.add("--batch", batch, "N", "names per training step (32)");
    flags.add("--hidden", hidden, "N", "the encoder's width per direction (64): the bottleneck is twice that");
    flags.add("--lr", max_lr, "LR", "AdamW's peak learning rate (0.003)");
    flags.add("--seed", seed, "SEED", "seed of the weights and the minibatches");
    flags.add("--example", example, "NAME", "the name whose alignment is shown (lowercase a-z, 2 to 15 letters)");
    flags.add_switch("--no-timing", no_timing, "leave out the speed lines (they differ from run to run)");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson13");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        const std::size_t run_steps = budgeted_steps(steps, budget);
        for (const auto& [name, value] : {std::pair{"--batch", batch}, std::pair{"--hidden", hidden}})
            if (value < 1) throw ValueError(fmt::format("{} {} must be at least 1", name, value));
        if (!(max_lr > 0.0 && max_lr < 1.0)) throw ValueError(fmt::format("--lr {} must be in (0, 1)", max_lr));
        if (example.size() < 2 || example.size() > 15) throw ValueError(fmt::format("--example '{}' must have 2 to 15 letters", example));
        for (const char c : example)
            if (c < 'a' || c > 'z') throw ValueError(fmt::format("--example '{}' may hold only the letters a-z", example));
        pictures.create();
        // With `./workbook run 13 --mine`, the steps marked yours.step are computed by your exercises.
        YourExercises yours = your_exercises();

        section("The task: reverse a name");
        const WordSplit split = split_words(read_words(data), 42);
        if (split.train.empty() || split.dev.empty())
            throw ValueError(fmt::format("{}: too few words to split 80% / 10% / 10%", data));
        note(fmt::format("makemore's split (random.seed(42)): {} names to train on, {} dev names to score",
                         split.train.size(), split.dev.size()));
        for (std::size_t i = 0; i < 4; ++i) note(fmt::format("  {:<12} -> {}", split.train[i], reversed(split.train[i])));
        note("A toy translation that needs alignment: output character j is input character n-1-j, so the");
        note("first character out is the last one in. The decoder has to know, at every step, where to look.");

        section("Two encoder-decoders of the same size");
        Seq2SeqConfig with_attention = attention_config(static_cast<std::size_t>(hidden));
        Seq2SeqConfig bottleneck = bottleneck_config(with_attention);
        Generator g0(seed);
        Seq2Seq rnn_encdec(bottleneck, g0);
        Generator g1(seed);
        Seq2Seq rnn_search(with_attention, g1);
        note(fmt::format("Both: a bidirectional tanh-RNN encoder (16-wide character embeddings, {0} + {0} hidden), an", hidden));
        note("RNN decoder fed the previous character and a context vector c_j, and an output layer on [s_j; c_j].");
        note(fmt::format("(a) RNNencdec (Cho et al.): c_j = the encoder's last states, the same vector at every step;"));
        note(fmt::format("    decoder {} wide: {} parameters.", bottleneck.decoder_hidden,
                         format_count(rnn_encdec.num_parameters())));
        note(fmt::format("(b) RNNsearch (Bahdanau et al.): c_j = sum_i alpha_ji h_i, alpha_j = softmax(v . tanh(W1 s + W2 h_i));"));
        note(fmt::format("    decoder {} wide, attention {} wide: {} parameters.", with_attention.decoder_hidden,
                         with_attention.attention_size, format_count(rnn_search.num_parameters())));
        note("The bottleneck model spends the attention's parameters on a wider decoder, so size does not decide.");

        section("Training (teacher forcing: each step is fed the right previous character)");
        note(fmt::format("Each model: {} steps of {} names, AdamW, learning rate warmed up to {:g}, then down to {:g}.",
                         run_steps, batch, max_lr, max_lr / 10.0));
        std::vector<ReverserRun> runs;
        for (auto [model, name] : {std::pair{&rnn_encdec, "(a) RNNencdec"}, std::pair{&rnn_search, "(b) RNNsearch"}}) {
            heading(name);
            runs.push_back(train_reverser(*model, name, split.train, split.dev, run_steps,
                                          static_cast<std::size_t>(batch), static_cast<float>(max_lr), seed));
            if (!no_timing)
                note(fmt::format("{:.1f} s, {:.0f} steps/s", runs.back().history.seconds,
                                 static_cast<double>(run_steps) / runs.back().history.seconds));
        }

        section("Exact match on the dev names, by length (greedy decoding)");
        const std::vector<LengthBucket> acc_a = accuracy_by_length(rnn_encdec, split.dev);
        const std::vector<LengthBucket> acc_b = accuracy_by_length(rnn_search, split.dev);
        print_accuracy_table({"(a) RNNencdec", "(b) RNNsearch"}, {acc_a, acc_b});
        note("A name counts only when every character and the end are right. (a) must squeeze the whole name");
        note("into one fixed vector before writing a letter: the longer the name, the more it loses. (b) reads");
        note("the one position it needs at each step, so its accuracy holds as names grow: the paper's Figure 2.");

        section(fmt::format("Where (b) looks: the alignment for '{}'", example));
        const Translation t = rnn_search.translate(example, example.size() + 3);
        note(fmt::format("'{}' -> '{}' (the reverse is '{}'); (a) writes '{}'", example, t.text, reversed(example),
                         rnn_encdec.translate(example, example.size() + 3).text));
        std::vector<std::string> outputs = letters(t.text);
        outputs.emplace_back(".");  // the step that wrote the end
        outputs.resize(t.alignment.size(0), ".");
        heading("alpha_ji: a row per output character j, a column per input character i");
        print_alignment(t.alignment, outputs, letters(example));
        note("For a reversal the weight sits on the anti-diagonal: output j reads input n-1-j.");
        if (pictures.on())
            write_heatmap(pictures.file("alignment.png"), t.alignment, outputs, letters(example),
                          fmt::format("lesson 13: where RNNsearch looks while reversing '{}'", example),
                          {.decimals = 2, .vmin = 0.0, .vmax = 1.0, .row_title = "output", .col_title = "input"});

        section("Additive (Bahdanau) against dot-product (lesson 04) scoring, on the same states");
        const std::size_t j = 1;  // the second output step
        const Tensor s = t.queries.row(j).reshape({1, with_attention.decoder_hidden});  // s_{j-1}, (1, D)
        const Tensor& W1 = rnn_search.attention->W1;
        const Tensor& W2 = rnn_search.attention->W2;
        const Tensor q = matmul(s, T(W1));            // (1, A): W1 s, the query
        const Tensor keys = matmul(t.encoder, T(W2));  // (T, A): W2 h_i, the keys
        heading(fmt::format("Additive: e_i = v . tanh(W1 s + W2 h_i), for output step {}", j));
        const auto additive_scores = [](const Tensor& s_j, const Tensor& h, const Tensor& w1, const Tensor& w2,
                                        const Tensor& v) {  // exercise 13.2
            const Tensor query = matmul(s_j.reshape({1, s_j.size(0)}), T(w1));  // (1, A)
            return matmul(tanh_forward(query + matmul(h, T(w2))), v);          // (T)
        };
        const Tensor additive = yours.step("13.2", additive_scores, t.queries.row(j), t.encoder, W1, W2,
                                           rnn_search.attention->v);
        print(additive);
        const Tensor alpha = softmax(additive, 0);
        print(alpha);
        // exercise 13.3: the context vector these weights make, c_j = sum_i alpha_ji h_i
        yours.compare("13.3", matmul(alpha.reshape({1, alpha.size(0)}), t.encoder).row(0), alpha, t.encoder);
        heading("Dot product, as lessons 04-07 score: e_i = (W1 s) . (W2 h_i) / sqrt(A)");
        const Tensor dot_scores =
            (matmul(keys, q.reshape({with_attention.attention_size}))) / std::sqrt(static_cast<float>(with_attention.attention_size));
        print(dot_scores);
        print(softmax(dot_scores, 0));
        note("Additive scoring passes each query-key pair through a tanh and a learned v: a small network per");
        note("pair, which can learn what a dot product cannot (here it was trained; the dot product was not).");
        note("A dot product scores all pairs with one matrix multiplication, Q @ K.T, with no T x S x A tensor");
        note("in between: what made it the transformer's choice (Vaswani et al. 2017, section 3.2.1), and");
        note("what lessons 04-07 build on.");

        if (pictures.on()) {
            std::vector<Curve> curves;
            for (const ReverserRun& r : runs) {
                std::size_t size = 0;
                Curve c{.label = r.name, .x = {}, .y = chunk_means(r.history.losses, 100, size)};
                for (std::size_t i = 0; i < c.y.size(); ++i) c.x.push_back(static_cast<double>((i + 1) * size));
                curves.push_back(std::move(c));
            }
            write_curves(pictures.file("losses.png"), curves, "lesson 13: training loss per character (mean of each 1%)",
                         "step", "loss (nats)");
        }
        yours.print_summary();
        pictures.print_where();
    });
}
