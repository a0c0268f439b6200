// Lesson 02: the neural n-gram.
// Follows Andrej Karpathy's makemore: the second half of part 1 (the bigram model
// as a one-layer neural network trained by gradient descent) and part 2 (Bengio
// et al. 2003's MLP, which reads three characters instead of one).
//
//   ./workbook run 02                      the walkthrough: 100 + 200,000 steps
//   ./workbook run 02 --steps 20000        a quicker MLP run
//   ./workbook run 02 --data words.txt     your own word list
//   ./workbook run 02 --no-plots           without the pictures (the loss curve, the embeddings)
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/layers.hpp"
#include "lib/lesson.hpp"
#include "lib/mlp.hpp"
#include "lib/model.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/ops.hpp"
#include "lib/optim.hpp"
#include "lib/picture.hpp"
#include "lib/plot.hpp"
#include "lib/print.hpp"
#include "lib/yours.hpp"
#include "lib/random.hpp"
#include "lib/train.hpp"
#include "lib/words.hpp"

using namespace wb;

namespace {

// The bigram training set: xs[i] is a character, ys[i] the one that follows it.
void bigram_pairs(const std::vector<std::string>& words, std::vector<std::size_t>& xs, std::vector<std::size_t>& ys) {
    for (const std::string& w : words) {
        const std::string chs = "." + w + ".";
        for (std::size_t k = 0; k + 1 < chs.size(); ++k) {
            xs.push_back(stoi(chs[k]));
            ys.push_back(stoi(chs[k + 1]));
        }
    }
}

// The walkthrough's loss, -probs[arange(n), ys].log().mean() + 0.01 * (W**2).mean(),
// and its gradient dW. one_hot(xs) @ W just picks row xs[i] of W, so the logits
// are an embedding lookup, and the gradient goes back to the rows it came from.
float bigram_loss_and_grad(const Tensor& W, const std::vector<std::size_t>& xs, const std::vector<std::size_t>& ys,
                           Tensor& dW) {
    const Tensor logits = embedding_forward(W, xs);  // (n, 27)
    Tensor probs;
    const float nll = cross_entropy_forward(logits, ys, probs);
    const float reg = 0.01f * (sum(W * W).item() / static_cast<float>(W.numel()));
    dW = W * (0.02f / static_cast<float>(W.numel()));  // d/dW of 0.01 * mean(W^2)
    embedding_backward(cross_entropy_backward(probs, ys), xs, dW);
    return nll + reg;
}

// makemore's picture of the embeddings: each character at its row of C. C has
// n_embd columns; a flat picture shows two of them, the first two.
void draw_embeddings(const std::string& path, const Tensor& C) {
    std::vector<double> x, y;
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < C.size(0); ++i) {
        x.push_back(C(i, 0));
        y.push_back(C(i, 1));
        labels.emplace_back(1, itos(i));
    }
    const std::string title =
        C.size(1) == 2 ? "lesson 02: the MLP's 2-D character embeddings C"
                       : fmt::format("lesson 02: the MLP's embeddings C, dimensions 0 and 1 of {}", C.size(1));
    write_scatter(path, x, y, labels, title, "C[:, 0]", "C[:, 1]");
}

}  // namespace

int main(int argc, char** argv) {
    std::string data = WB_SOURCE_DIR "/data/names.txt";
    int bigram_steps = 100;
    int steps = 200'000;
    int samples = 20;
    std::uint64_t seed = 2147483647;
    Flags flags("lesson02", "Lesson 02: the neural n-gram (makemore, parts 1 and 2)");
    flags.add("--data", data, "FILE", "word list to learn from, one lowercase word per line");
    flags.add("--bigram-steps", bigram_steps, "N", "gradient-descent steps of the neural bigram");
    flags.add("--steps", steps, "N", "training steps of the MLP (the walkthrough: 200000)");
    flags.add("--samples", samples, "N", "how many names to sample from the MLP");
    flags.add("--seed", seed, "SEED", "seed of the generator for weights, minibatches and samples");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson02");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        for (const auto& [name, value] : {std::pair{"--bigram-steps", bigram_steps}, std::pair{"--steps", steps},
                                          std::pair{"--samples", samples}})
            if (value < 0) throw ValueError(fmt::format("{} {} is negative: give 0 or more", name, value));
        pictures.create();  // now, not after the training
        // With `./workbook run 02 --mine`, your exercises are compared at the steps that compute the same.
        YourExercises yours = your_exercises();
        const std::vector<std::string> words = read_words(data);

        section("Part 1: the bigram model as a neural network");
        heading("The training set: every bigram of every word");
        std::vector<std::size_t> xs, ys;
        bigram_pairs(words, xs, ys);
        note(fmt::format("{} examples: xs is a character, ys the character that follows it", xs.size()));
        const std::size_t shown = std::min<std::size_t>(5, xs.size());
        note(fmt::format("the first ones ({}): xs = {}, ys = {}", words[0],
                         format_int64({shown}, {xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(shown)}),
                         format_int64({shown}, {ys.begin(), ys.begin() + static_cast<std::ptrdiff_t>(shown)})));

        heading(fmt::format("W = torch.randn((27, 27), generator=g), g seeded {}", seed));
        Generator g(seed);
        Tensor W = g.randn({kVocabSize, kVocabSize});
        note("27 neurons, one per next character; a row of W per current character.");
        print("W[0] =", W.row(0));

        heading("Gradient descent: loss = mean NLL + 0.01 * mean(W**2), then W += -50 * W.grad");
        note("logits = one_hot(xs) @ W, counts = logits.exp(), probs = counts / counts.sum(1)");
        Tensor dW = zeros({kVocabSize, kVocabSize});
        SGD sgd({&W}, {&dW});
        for (int k = 0; k < bigram_steps; ++k) {
            const float loss = bigram_loss_and_grad(W, xs, ys, dW);
            if (k == 0) yours.compare("2.1", std::pair{loss, dW}, W, xs, ys);  // exercise 2.1: the loss and dW
            if (k % 10 == 0 || k == bigram_steps - 1) note(fmt::format("step {:3d}: loss {:.4f}", k, loss));
            sgd.step(50.0f);
        }
        const float final_loss = bigram_loss_and_grad(W, xs, ys, dW);
        note(fmt::format("after {} steps: loss {:.4f}", bigram_steps, final_loss));

        heading("The counting model of lesson 01 on the same bigrams");
        Tensor N = zeros({kVocabSize, kVocabSize});
        for (std::size_t i = 0; i < xs.size(); ++i) N(xs[i], ys[i]) += 1.0f;
        const Tensor P = (N + 1.0f) / sum(N + 1.0f, 1, /*keepdim=*/true);
        Tensor unused;
        const float count_loss = cross_entropy_forward(embedding_forward(log(P), xs), ys, unused);
        print("average NLL with add-one smoothing:", Tensor::scalar(count_loss));
        note("(Lesson 01 printed 2.4544: the walkthrough adds 228,146 float32 logs one at a time,");
        note("which loses a little; torch's mean of all of them at once gives this.)");
        note("Gradient descent is heading for the same place: the best a bigram can do.");

        heading("The weights have become log-counts: softmax(W[0]) against the counts' P[0]");
        const Tensor W0 = W.row(0);
        print("W[0].exp() / W[0].exp().sum() =", exp(W0) / sum(exp(W0)));
        print("P[0] =", P.row(0));

        heading(fmt::format("Five names from the neural bigram (generator seeded {})", seed));
        Generator sampler(seed);
        const Tensor expW = exp(W);
        for (int s = 0; s < 5; ++s) note(sample_bigram(expW, sampler));  // exp(W): the counts it has learned
        note("The counting model's names, nearly letter for letter: the two are the same model.");

        section("Part 2: Bengio et al. 2003, a multilayer perceptron over three characters");
        heading("The data: random.seed(42), random.shuffle(words), then 80% / 10% / 10%");
        const WordSplit split = split_words(words, 42);
        if (split.train.empty() || split.dev.empty())
            throw ValueError(fmt::format("{}: {} words are too few to split 80% / 10% / 10%; give at least 10", data,
                                         words.size()));
        note(fmt::format("{} words to train on, {} to tune with (dev), {} to test", split.train.size(),
                         split.dev.size(), split.test.size()));
        const NgramDataset train_set = build_dataset(split.train, 3);
        const NgramDataset dev_set = build_dataset(split.dev, 3);
        note(fmt::format("Xtr: {} contexts of 3 characters, Xdev: {}", train_set.size(), dev_set.size()));

        heading("The model: C (27, 10), W1 (30, 200), b1 (200), W2 (200, 27), b2 (27)");
        Generator gen(seed);
        MLP model(MLPConfig{}, gen);
        note("emb = C[X] (32, 3, 10) -> view (32, 30); h = tanh(emb @ W1 + b1); logits = h @ W2 + b2");
        note(fmt::format("{} parameters", model.num_parameters()));

        heading(fmt::format("Training: {} steps, minibatches of 32, learning rate 0.1, then 0.01 from step {}",
                            steps, steps / 2));
        TrainOptions options;
        options.steps = static_cast<std::size_t>(steps);
        options.learning_rate = step_decay(0.1f, options.steps);
        options.print_every = steps >= 20 ? options.steps / 20 : 1;
        const TrainHistory history = train(model, train_set, gen, options);
        if (pictures.on()) {
            if (!history.losses.empty())
                for (const char* file : {"loss.svg", "loss.png"})
                    write_loss_curve(pictures.file(file), history.losses,
                                     "lesson 02: the MLP's training loss (log10, mean of each 1% of the steps)");
            draw_embeddings(pictures.file("embeddings.png"), model.weights.C);
        }

        heading("The loss on all of each split");
        {  // exercises 2.2 and 2.3 on the first dev batch: the MLP's logits, then their loss
            const std::size_t B = std::min<std::size_t>(32, dev_set.size());
            const std::vector<std::size_t> Xb(dev_set.X.begin(), dev_set.X.begin() + static_cast<std::ptrdiff_t>(B * 3));
            const std::vector<std::size_t> Yb(dev_set.Y.begin(), dev_set.Y.begin() + static_cast<std::ptrdiff_t>(B));
            const Tensor logits = model.forward(Xb);
            yours.compare("2.2", logits, model.weights, Xb);
            yours.compare("2.3", model.loss(Yb), logits, Yb);
        }
        note(fmt::format("train {:.4f}", model.evaluate(train_set)));
        note(fmt::format("dev   {:.4f}", model.evaluate(dev_set)));
        note("The bigram's 2.45 was the floor for one character of context; three do better.");

        heading(fmt::format("{} names from the MLP (generator seeded {} + 10)", samples, seed));
        Generator name_gen(seed + 10);
        for (int s = 0; s < samples; ++s) note(sample_word(model, name_gen));

        section("What a fixed window cannot do");
        note("The MLP sees exactly 3 characters. Whatever came before them is gone: it cannot");
        note("know that a name is already long, or that it began with 'q'. A wider window means a");
        note("wider W1, and each position still has its own weights: what is learned about 'a'");
        note("in the last place is not shared with 'a' two places back. Attention (lesson 03 on)");
        note("lets every position look at every earlier one, with the same weights for all.");
        yours.print_summary();
        pictures.print_where();
    });
}
