// Lesson 10, the capstone: does attention help, and does a mixture of experts?
// The course's closing exercise: take lesson 02's neural n-gram, add causal
// self-attention (lessons 04-06), then swap the feed-forward for experts (lesson 09);
// train each on names.txt with the same data, the same optimiser and the same number
// of characters, and compare.
//
//   ./workbook run 10                   the full run: 8,000 steps a model (minutes)
//   ./workbook run 10 --budget 0.1      a tenth of the steps, for a quick look
//   ./workbook run 10 --no-timing       leave out the speed table (what the golden test does)
//   ./workbook run 10 --no-plots        without the loss curves (CSV, SVG and PNG)
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lessons/10_capstone/contenders.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/lesson.hpp"
#include "lib/plot.hpp"
#include "lib/print.hpp"
#include "lib/words.hpp"

using namespace wb;

int main(int argc, char** argv) {
    std::string data = WB_SOURCE_DIR "/data/names.txt";
    int steps = 8000;
    double budget = 1.0;
    int samples = 8;
    int eval_every = 500;
    std::uint64_t seed = 123;
    bool no_timing = false;
    Flags flags("lesson10", "Lesson 10: the capstone, n-gram against attention against experts");
    flags.add("--data", data, "FILE", "word list to learn from, one lowercase word per line");
    flags.add("--steps", steps, "N", "training steps of each model at --budget 1 (8000)");
    flags.add("--budget", budget, "F", "the share of --steps to run, above 0 and at most 1 (0.1: a quick run)");
    flags.add("--samples", samples, "N", "how many names to sample from each model");
    flags.add("--eval-every", eval_every, "N", "evaluate on the dev split every N steps, for the loss curves");
    flags.add("--seed", seed, "SEED", "seed of the weights, the minibatches and the samples");
    flags.add_switch("--no-timing", no_timing, "leave out the speed table (it differs from run to run)");
    PictureFolder pictures(WB_BINARY_DIR "/plots/lesson10");
    pictures.add_flags(flags);
    flags.parse(argc, argv);

    return run_lesson([&] {
        const std::size_t run_steps = budgeted_steps(steps, budget);
        if (eval_every < 1) throw ValueError(fmt::format("--eval-every {} must be at least 1", eval_every));
        if (samples < 0) throw ValueError(fmt::format("--samples {} is negative: give 0 or more", samples));
        pictures.create();  // now, not after minutes of training

        section("The data and the budget");
        const std::vector<std::string> words = read_words(data);
        for (std::size_t i = 0; i < words.size(); ++i)  // read_words keeps one word a line
            if (words[i].size() > 15)
                throw DataError(fmt::format("{}:{}: '{}' has {} letters; the GPTs read names of at most 15 (a context "
                                            "of 16 with the start '.')",
                                            data, i + 1, words[i], words[i].size()));
        const WordSplit split = split_words(words, 42);
        if (split.train.empty() || split.dev.empty() || split.test.empty())
            throw ValueError(fmt::format("{}: {} words are too few to split 80% / 10% / 10% with a word in each part",
                                         data, words.size()));
        const Corpus corpus = make_corpus(split);
        note(fmt::format("makemore's split (random.seed(42)): {} names to train on, {} dev, {} test",
                         split.train.size(), split.dev.size(), split.test.size()));
        note(fmt::format("{} characters to predict in the training names (each name's letters and its end '.')",
                         format_count(corpus.train_rows.num_targets)));
        const Budget plan = make_budget(corpus, run_steps);
        note(fmt::format("Every model takes {} step{} ({} x --budget {}, rounded; at least 1). A GPT step is {} whole",
                         plan.steps, plan.steps == 1 ? "" : "s", steps, budget, kGptBatch));
        note(fmt::format("names, about {:.0f} characters;", plan.tokens_per_step));
        note(fmt::format("an MLP step is {} windows, one character each: the same characters per step.",
                         plan.mlp_batch));
        note("AdamW (weight decay 0.1 on matrices only), learning rate warmed up over 5% of the steps,");
        note("then half a cosine down to a tenth.");

        section("The contenders");
        std::vector<Contender> contenders = make_contenders(seed);
        print_architectures(contenders);

        section("Training");
        std::vector<Result> results;
        for (Contender& c : contenders) {
            heading(c.name);
            results.push_back(train_contender(c, corpus, plan, seed, static_cast<std::size_t>(eval_every)));
        }

        section("The comparison");
        print_comparison(results);
        if (!no_timing) print_speed(results);
        print_verdict(results);

        section(fmt::format("Names sampled from each model (generator seeded {} + 1)", seed));
        print_samples(contenders, seed + 1, static_cast<std::size_t>(samples));

        section("Dynamic contextual embeddings");
        show_contextual_embeddings(contenders);

        if (pictures.on()) {
            section("Loss curves");
            write_loss_csv(pictures.file("losses.csv"), results);
            write_loss_plot(pictures.file("losses.svg"), results);
            write_loss_plot(pictures.file("losses.png"), results);
            note("every step's training loss and every dev evaluation: losses.csv");
            note("the curves, one colour a model (dev dashed): losses.svg and losses.png");
        }
        pictures.print_where();
    });
}
