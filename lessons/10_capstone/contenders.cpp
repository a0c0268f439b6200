#include "lessons/10_capstone/contenders.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/gpt_sample.hpp"
#include "lib/lesson.hpp"
#include "lib/model.hpp"
#include "lib/ops.hpp"
#include "lib/optim.hpp"
#include "lib/plot.hpp"
#include "lib/print.hpp"
#include "lib/words.hpp"

namespace wb {
namespace {

// The wide MLP: 8 characters of 24 numbers in, 920 hidden units: 203,075
// parameters, as many as the dense GPT's 203,776, so that "does attention help?"
// is not answered by size alone.
constexpr MLPConfig kWideMlp{.vocab_size = 27, .block_size = 8, .n_embd = 24, .n_hidden = 920};

// makemore part 3's fix for lesson 02's initialisation (plain randn everywhere): there,
// the first logits are in the tens, the first loss is 24 (64 for the wide MLP) where
// guessing evenly scores 3.3, and AdamW's small steps spend their first thousands of
// steps undoing it. Scaled like this, the MLP starts where the GPTs do.
void calm_initialisation(MLP& mlp) {
    MLPWeights& w = mlp.weights;
    const auto fan_in = static_cast<float>(w.W1.size(0));
    w.W1 = w.W1 * ((5.0f / 3.0f) / std::sqrt(fan_in));  // Kaiming's gain for tanh
    w.b1 = w.b1 * 0.01f;
    w.W2 = w.W2 * 0.01f;  // the first logits near 0: every character about equally likely
    w.b2 = w.b2 * 0.0f;
}

}  // namespace

Corpus make_corpus(const WordSplit& split) {
    Corpus c{.split = split, .train_sample = {}, .train_rows = build_sequences(split.train, 16),
             .dev_rows = build_sequences(split.dev, 16), .test_rows = build_sequences(split.test, 16),
             .train_sample_rows = {}};
    const auto n = static_cast<std::ptrdiff_t>(std::min(split.train.size(), split.dev.size()));
    c.train_sample.assign(split.train.begin(), split.train.begin() + n);  // the split is shuffled already
    c.train_sample_rows = build_sequences(c.train_sample, 16);
    return c;
}

Budget make_budget(const Corpus& corpus, std::size_t steps) {
    Budget b;
    b.steps = steps;
    b.tokens_per_step = static_cast<double>(kGptBatch) * static_cast<double>(corpus.train_rows.num_targets) /
                        static_cast<double>(corpus.train_rows.size());
    b.mlp_batch = static_cast<std::size_t>(std::lround(b.tokens_per_step));
    return b;
}

std::size_t Contender::num_parameters() {
    return mlp ? mlp->num_parameters() : rnn ? rnn->num_parameters() : gpt->num_parameters();
}
std::size_t Contender::num_active_parameters() {
    return mlp ? mlp->num_parameters() : rnn ? rnn->num_parameters() : gpt->num_active_parameters();
}

std::vector<Contender> make_contenders(std::uint64_t seed) {
    std::vector<Contender> out;
    const auto add_mlp = [&](std::string name, std::string key, const MLPConfig& cfg, std::string reads) {
        Generator g(seed);
        auto mlp = std::make_unique<MLP>(cfg, g);
        calm_initialisation(*mlp);
        out.push_back({.name = std::move(name), .key = std::move(key), .reads = std::move(reads), .max_lr = 1e-2f,
                       .mlp = std::move(mlp), .gpt = nullptr, .untrained = nullptr, .rnn = nullptr});
    };
    const auto add_gpt = [&](std::string name, std::string key, const GPTConfig& cfg, std::string reads) {
        Generator g(seed);
        Generator g0(seed);
        out.push_back({.name = std::move(name), .key = std::move(key), .reads = std::move(reads), .max_lr = 1e-3f,
                       .mlp = nullptr, .gpt = std::make_unique<GPTModel>(cfg, g),
                       .untrained = std::make_unique<GPTModel>(cfg, g0), .rnn = nullptr});
    };
    add_mlp("MLP, 3 chars (lesson 02)", "mlp3", MLPConfig{}, "the last 3 characters");
    add_mlp("MLP, 8 chars, wide", "mlp8", kWideMlp, "the last 8 characters");
    add_gpt("GPT, dense", "gpt", GPTConfig{}, "the whole name so far");
    add_gpt("GPT, 8 experts top-2", "moe", GPTConfig{.num_experts = 8, .top_k = 2, .expert_hidden = 128},
            "the whole name so far");
    // after the others: their numbers stay what they were before it joined
    Generator g(seed);
    out.push_back({.name = "RNN, tanh (lesson 13)", .key = "rnn", .reads = "the name so far, in h_t", .max_lr = 2e-3f,
                   .mlp = nullptr, .gpt = nullptr, .untrained = nullptr,
                   .rnn = std::make_unique<CharRNN>(CharRNNConfig{}, g)});
    return out;
}

namespace {

float loss_on(MLP& model, const NgramDataset& data) { return model.evaluate(data); }
float loss_on(GPTModel& model, const SequenceDataset& data) { return evaluate(model, data); }
float loss_on(CharRNN& model, const SequenceDataset& data) { return evaluate(model, data); }

// Trains, evaluating on dev every eval_every steps, and keeps the weights of the best
// evaluation, as nanoGPT keeps its best checkpoint: late in training every model
// here starts to learn the training names by heart, and dev goes up again. dev then
// chose the weights, so the test split, which chose nothing, is the honest score.
template <typename M, typename D>
void train_keeping_the_best(M& model, const D& train_set, const D& train_sample, const D& dev, const D& test,
                            TrainOptions options, Optimizer& optimizer, Generator& batches, Result& r) {
    const std::vector<Tensor*> params = model.parameters();
    std::vector<Tensor> best;
    std::size_t evaluations = 0;
    const std::size_t every = options.eval_every, steps = options.steps;
    r.dev_loss = std::numeric_limits<float>::infinity();
    options.evaluate = [&] {
        const float dev_loss = loss_on(model, dev);
        const std::size_t step = std::min(++evaluations * every, steps);  // the loop also evaluates after its last step
        if (dev_loss < r.dev_loss) {
            r.dev_loss = dev_loss;
            r.best_step = step;
            best.clear();
            for (const Tensor* p : params) best.push_back(*p);
        }
        return dev_loss;
    };
    r.history = train(model, train_set, batches, options, optimizer);
    for (std::size_t i = 0; i < params.size(); ++i) *params[i] = best[i];
    r.train_loss = loss_on(model, train_sample);
    r.test_loss = loss_on(model, test);
}

}  // namespace

Result train_contender(Contender& c, const Corpus& corpus, const Budget& plan, std::uint64_t seed,
                       std::size_t eval_every) {
    std::vector<Tensor*> params = c.mlp ? c.mlp->parameters() : c.rnn ? c.rnn->parameters() : c.gpt->parameters();
    std::vector<Tensor*> grads = c.mlp ? c.mlp->gradients() : c.rnn ? c.rnn->gradients() : c.gpt->gradients();
    // weight decay 0.1 as nanoGPT and GPT-2: with 0.01 the GPTs ended 0.009 (dense) and 0.010 (MoE)
    // higher on dev after 8,000 steps; every model overfits these 25,626 names by then
    AdamW adamw(params, grads, AdamWOptions{.weight_decay = 0.1}, decay_matrices(params));
    TrainOptions options;
    options.steps = plan.steps;
    options.learning_rate = warmup_cosine(c.max_lr, plan.steps / 20, plan.steps, c.max_lr / 10.0f);
    options.print_every = std::max<std::size_t>(1, plan.steps / 4);
    options.eval_every = eval_every;
    options.label = c.name;
    note(fmt::format("AdamW, learning rate up to {:g} and down to {:g}, {} steps of {} {}", c.max_lr, c.max_lr / 10.0f,
                     plan.steps, c.mlp ? plan.mlp_batch : kGptBatch, c.mlp ? "windows" : "names"));

    Result r;
    r.name = c.name;
    r.key = c.key;
    r.parameters = c.num_parameters();
    r.active_parameters = c.num_active_parameters();
    Generator batches(seed);
    if (c.mlp) {
        const std::size_t block = c.mlp->block_size();
        options.batch_size = plan.mlp_batch;
        train_keeping_the_best(*c.mlp, build_dataset(corpus.split.train, block),
                               build_dataset(corpus.train_sample, block), build_dataset(corpus.split.dev, block),
                               build_dataset(corpus.split.test, block), options, adamw, batches, r);
    } else if (c.rnn) {
        options.batch_size = kGptBatch;
        train_keeping_the_best(*c.rnn, corpus.train_rows, corpus.train_sample_rows, corpus.dev_rows, corpus.test_rows,
                               options, adamw, batches, r);
    } else {
        options.batch_size = kGptBatch;
        train_keeping_the_best(*c.gpt, corpus.train_rows, corpus.train_sample_rows, corpus.dev_rows, corpus.test_rows,
                               options, adamw, batches, r);
    }
    note(fmt::format("kept the weights of step {} (the lowest dev loss): train {:.4f}, dev {:.4f}, test {:.4f}",
                     r.best_step, r.train_loss, r.dev_loss, r.test_loss));
    return r;
}

void print_architectures(std::vector<Contender>& contenders) {
    note(fmt::format("  {:<26}{:<24}{:>12}{:>12}", "model", "a prediction reads", "parameters", "active"));
    for (Contender& c : contenders)
        note(fmt::format("  {:<26}{:<24}{:>12}{:>12}", c.name, c.reads, format_count(c.num_parameters()),
                         format_count(c.num_active_parameters())));
    note("The GPTs are chapter 4's GPTModel: 4 blocks of causal multi-head attention (4 heads) and a");
    note("feed-forward, 64 wide, context 16. The MoE GPT swaps each feed-forward (64 -> 256 -> 64) for");
    note("8 experts of 64 -> 128 -> 64 and a router; top-2 runs two of them: the dense model's size per token.");
    note("The RNN is lesson 13's tanh cell as a language model: 64-wide character embeddings, a state of 400");
    note("numbers carried from each character to the next, and a linear layer from the state to the logits.");
}

void print_comparison(const std::vector<Result>& results) {
    note(fmt::format("  {:<26}{:>12}{:>10}{:>12}{:>7}{:>8}{:>8}{:>8}", "model", "parameters", "active", "characters",
                     "kept", "train", "dev", "test"));
    for (const Result& r : results)
        note(fmt::format("  {:<26}{:>12}{:>10}{:>12}{:>7}{:>8.4f}{:>8.4f}{:>8.4f}", r.name, format_count(r.parameters),
                         format_count(r.active_parameters), format_count(r.history.tokens), r.best_step, r.train_loss,
                         r.dev_loss, r.test_loss));
    note("Losses: the mean cross-entropy per character (nats) of the weights kept: those of the step with the");
    note("lowest dev loss. train: as many training names as dev has; test: the names nothing was chosen on.");
    note("Lesson 01's bigram counts score 2.45 on names.txt. 'characters': the targets each model trained on,");
    note("padding not counted.");
}

void print_speed(const std::vector<Result>& results) {
    heading("Speed on this machine, in this run (it varies from run to run)");
    note(fmt::format("  {:<26}{:>12}{:>12}{:>16}", "model", "wall time", "steps/s", "characters/s"));
    for (const Result& r : results)
        note(fmt::format("  {:<26}{:>11.1f}s{:>12.1f}{:>16}", r.name, r.history.seconds,
                         static_cast<double>(r.history.losses.size()) / r.history.seconds,
                         format_count(static_cast<std::uint64_t>(r.history.tokens_per_second()))));
    note("Training time only: the dev evaluations for the loss curves are not counted.");
}

void print_verdict(const std::vector<Result>& results) {
    heading("What the table says");
    const auto find = [&](const std::string& key) -> const Result& {
        return *std::find_if(results.begin(), results.end(), [&](const Result& r) { return r.key == key; });
    };
    const Result &mlp3 = find("mlp3"), &mlp8 = find("mlp8"), &gpt = find("gpt"), &moe = find("moe"), &rnn = find("rnn");
    const bool attention_helps = gpt.dev_loss < mlp8.dev_loss;
    note(fmt::format("Attention: the dense GPT's dev loss is {:.4f}; the MLP of the same size, reading 8 characters,",
                     gpt.dev_loss));
    note(fmt::format("scores {:.4f} ({:+.4f} against the GPT), lesson 02's MLP {:.4f}.", mlp8.dev_loss,
                     mlp8.dev_loss - gpt.dev_loss, mlp3.dev_loss));
    if (attention_helps)
        note("Reading the whole name, with the same weights at every position, beats a fixed window of the same size.");
    else
        note("In this run the window is ahead: attention has more to learn before it pays (the README gives the full run's).");
    note(fmt::format("Experts: the MoE GPT has {} parameters but uses {} per token (the dense one {});",
                     format_count(moe.parameters), format_count(moe.active_parameters),
                     format_count(gpt.active_parameters)));
    note(fmt::format("its dev loss is {:.4f}, {} the dense model's {:.4f} ({:+.4f}); on test {:.4f} against {:.4f}.",
                     moe.dev_loss, moe.dev_loss <= gpt.dev_loss ? "at or below" : "above", gpt.dev_loss,
                     moe.dev_loss - gpt.dev_loss, moe.test_loss, gpt.test_loss));
    note(fmt::format("Recurrence: the RNN ({} parameters) reads the whole name too, through one state of 400 numbers;",
                     format_count(rnn.parameters)));
    note(fmt::format("its dev loss is {:.4f} ({:+.4f} against the GPT), on test {:.4f}.", rnn.dev_loss,
                     rnn.dev_loss - gpt.dev_loss, rnn.test_loss));
    if (rnn.dev_loss < gpt.dev_loss) {
        note("On names of at most 15 letters one state is enough, and the RNN is ahead: its loss of context");
        note("(lesson 13) shows on inputs longer than these.");
    } else {
        note("Attention is ahead even on names: every position reads the name directly, not through one state.");
    }
    note("What recurrence cannot do is run its steps side by side: h_t needs h_{t-1}, so a name's 16 positions are");
    note("16 products of (32 x 400) @ (400 x 400), one after another, while the GPT scores every position against");
    note("every earlier one at once (Q @ K.T under the causal mask). At 16 characters on a CPU the chain is short;");
    note("at thousands of tokens, on hardware that runs thousands of products at once, the chain decides: why");
    note("transformers replaced recurrence (Vaswani et al. 2017, section 4).");
    note(fmt::format("The course's target, dev loss 2.00 or below for the attention model: {}.",
                     gpt.dev_loss <= 2.0f ? "reached" : "not reached in this run"));
}

void print_samples(std::vector<Contender>& contenders, std::uint64_t seed, std::size_t count) {
    std::vector<std::vector<std::string>> names;
    std::string header = "  ";
    for (Contender& c : contenders) {
        Generator g(seed);
        std::vector<std::string> column;
        for (std::size_t i = 0; i < count; ++i) {
            std::string name = c.mlp ? sample_word(*c.mlp, g) : c.rnn ? sample_word(*c.rnn, g) : sample_word(*c.gpt, g);
            if (name.back() != '.') name += "...";  // cut at the context length (GPT) or at 100 letters (MLP)
            if (name.size() > 24) name = name.substr(0, 21) + "...";
            column.push_back(std::move(name));
        }
        names.push_back(std::move(column));
        header += fmt::format("{:<26}", c.name);
    }
    note(header);
    for (std::size_t i = 0; i < count; ++i) {
        std::string line = "  ";
        for (const auto& column : names) line += fmt::format("{:<26}", column[i]);
        note(line);
    }
}

namespace {

// The distance and cosine between the final vectors of the last letter of two names
// of the same length, run through `model` side by side as a batch of two.
std::pair<double, double> compare_last_letters(GPTModel& model, const std::string& a, const std::string& b) {
    const std::size_t T = a.size();  // '.' then the name: the last letter sits at position T
    std::vector<std::size_t> idx = {0};
    for (const char ch : a) idx.push_back(stoi(ch));
    idx.push_back(0);
    for (const char ch : b) idx.push_back(stoi(ch));
    model.forward(idx, 2, T + 1);
    const Tensor& h = model.final_hidden();  // (2, T + 1, C)
    const std::size_t C = h.size(2);
    const float *u = h.data() + T * C, *v = h.data() + (T + 1 + T) * C;
    double dot = 0.0, uu = 0.0, vv = 0.0, dist = 0.0;
    for (std::size_t k = 0; k < C; ++k) {
        dot += static_cast<double>(u[k]) * v[k];
        uu += static_cast<double>(u[k]) * u[k];
        vv += static_cast<double>(v[k]) * v[k];
        dist += (static_cast<double>(u[k]) - v[k]) * (static_cast<double>(u[k]) - v[k]);
    }
    return {std::sqrt(dist), dot / std::sqrt(uu * vv)};
}

}  // namespace

void show_contextual_embeddings(std::vector<Contender>& contenders) {
    note("An embedding table gives a character one vector wherever it appears. After attention, a");
    note("token's vector carries its context: the same letter at the same position of two names goes in");
    note("as one vector (tok_emb + pos_emb) and comes out of the blocks and the final LayerNorm as two.");
    note("(The LayerNorm puts every vector at about the same length, sqrt(64) = 8 before training.)");
    for (Contender& c : contenders) {
        if (!c.gpt) continue;
        heading(c.name);
        note(fmt::format("  {:<26}{:>22}{:>22}", "", "distance (cosine)", "before training"));
        for (const auto& [a, b] : {std::pair{"emma", "anna"}, std::pair{"julia", "sofia"}}) {
            const auto [distance, cosine] = compare_last_letters(*c.gpt, a, b);
            const auto [distance0, cosine0] = compare_last_letters(*c.untrained, a, b);
            note(fmt::format("  {:<26}{:>22}{:>22}",
                             fmt::format("'{}' in '{}' and '{}'", std::string(a).back(), a, b),
                             fmt::format("{:.4f} ({:.4f})", distance, cosine),
                             fmt::format("{:.4f} ({:.4f})", distance0, cosine0)));
        }
    }
    note("Before training the blocks already mix in the context, at random; training makes the mixing");
    note("mean something: here, what the name so far says about what comes next.");
}

namespace {

// How many characters a model had trained on after each step
std::vector<std::size_t> characters_seen(const TrainHistory& h) {
    std::vector<std::size_t> seen(h.step_tokens.size());
    std::partial_sum(h.step_tokens.begin(), h.step_tokens.end(), seen.begin());
    return seen;
}

}  // namespace

void write_loss_csv(const std::string& path, const std::vector<Result>& results) {
    std::string text = "model,step,characters,train_loss,dev_loss\n";
    for (const Result& r : results) {
        const std::vector<std::size_t> seen = characters_seen(r.history);
        std::size_t next_eval = 0;
        for (std::size_t s = 0; s < r.history.losses.size(); ++s) {
            std::string dev;
            if (next_eval < r.history.eval_steps.size() && r.history.eval_steps[next_eval] == s + 1)
                dev = fmt::format("{:.6f}", r.history.eval_losses[next_eval++]);
            text += fmt::format("{},{},{},{:.6f},{}\n", r.key, s + 1, seen[s], r.history.losses[s], dev);
        }
    }
    write_file_atomically(path, text, "the losses");
}

void write_loss_plot(const std::string& path, const std::vector<Result>& results) {
    std::vector<Curve> curves;
    for (const Result& r : results) {
        const int colour = static_cast<int>(curves.size() / 2);  // a model's train and dev share a colour
        const std::vector<std::size_t> seen = characters_seen(r.history);
        std::size_t size = 0;
        Curve train{.label = r.key + " train", .x = {}, .y = chunk_means(r.history.losses, 100, size), .dashed = false, .colour = colour};
        for (std::size_t i = 0; i < train.y.size(); ++i)
            train.x.push_back(static_cast<double>(seen[(i + 1) * size - 1]) / 1e6);  // at the chunk's end
        Curve dev{.label = r.key + " dev", .x = {}, .y = {}, .dashed = true, .colour = colour};
        for (std::size_t i = 0; i < r.history.eval_steps.size(); ++i) {
            dev.x.push_back(static_cast<double>(seen[r.history.eval_steps[i] - 1]) / 1e6);
            dev.y.push_back(r.history.eval_losses[i]);
        }
        curves.push_back(std::move(train));
        curves.push_back(std::move(dev));
    }
    write_curves(path, curves, "lesson 10: loss per character (train: mean of each 1% of the steps)",
                 "characters trained on (millions)", "loss (nats)");
}

}  // namespace wb
