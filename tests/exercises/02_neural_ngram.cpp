// Lesson 02's exercises, checked against the torch oracle (data/reference/lesson02.txt):
// on a small word list with their own seeds (so a typed-in answer cannot pass)
// and on the walkthrough's own first step and first minibatch.
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/words.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson02::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;

namespace {

const wb::ReferenceRecord& oracle(const std::string& name) { return wb::testing::reference("lesson02.txt")[name]; }

std::vector<std::size_t> indices(const std::string& name) {
    std::vector<std::size_t> out;
    for (std::int64_t v : oracle(name).int_values()) out.push_back(static_cast<std::size_t>(v));
    return out;
}

Tensor loss_of(const std::string& name) { return Tensor::scalar(std::strtof(oracle(name).field("loss").c_str(), nullptr)); }

wb::MLPWeights weights(const std::string& prefix) {
    return {oracle(prefix + "C").tensor(), oracle(prefix + "W1").tensor(), oracle(prefix + "b1").tensor(),
            oracle(prefix + "W2").tensor(), oracle(prefix + "b2").tensor()};
}

const std::vector<std::string>& names() {
    static const std::vector<std::string> words = wb::read_words(WB_SOURCE_DIR "/data/names.txt");
    return words;
}

// The walkthrough's bigrams, xs then ys, rebuilt from the names (the oracle holds only the small list's).
void walkthrough_pairs(std::vector<std::size_t>& xs, std::vector<std::size_t>& ys) {
    for (const std::string& w : names()) {
        const std::string chs = "." + w + ".";
        for (std::size_t k = 0; k + 1 < chs.size(); ++k) {
            xs.push_back(wb::stoi(chs[k]));
            ys.push_back(wb::stoi(chs[k + 1]));
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson02)

BOOST_AUTO_TEST_CASE(exercise_2_1, *utf::description("one step of the neural bigram, its gradient by hand")) {
    Tensor dW;
    const auto small = attempt([&] {
        return Tensor::scalar(lesson02::bigram_loss_and_grad(oracle("exercise_bigram_W").tensor(),
                                                             indices("exercise_bigram_xs"),
                                                             indices("exercise_bigram_ys"), dW));
    });
    if (!small) return;
    expect_close(*small, loss_of("exercise_bigram_grad"), "the loss on six names (W drawn with seed 42)");
    expect_close(dW, oracle("exercise_bigram_grad").tensor(), "dW on six names", 1e-6f, 1e-3f);

    std::vector<std::size_t> xs, ys;
    walkthrough_pairs(xs, ys);
    const auto all = attempt([&] {
        return Tensor::scalar(lesson02::bigram_loss_and_grad(oracle("bigram_W_init").tensor(), xs, ys, dW));
    });
    if (!all) return;
    expect_close(*all, loss_of("bigram_first_grad"), "the walkthrough's first loss on every bigram of names.txt");
    expect_close(dW, oracle("bigram_first_grad").tensor(), "the walkthrough's first dW", 1e-6f, 1e-3f);
}

BOOST_AUTO_TEST_CASE(exercise_2_2, *utf::description("the MLP's forward pass for one batch")) {
    const auto small = attempt([] { return lesson02::mlp_logits(weights("exercise_mlp_"), indices("exercise_mlp_X")); });
    if (!small) return;
    expect_close(*small, oracle("exercise_mlp_logits").tensor(), "logits for every context of six names (seed 7)",
                 1e-4f, 1e-4f);
    std::vector<std::size_t> X;  // the walkthrough's first minibatch, Xtr[ix]
    const wb::NgramDataset Xtr = wb::build_dataset(wb::split_words(names(), 42).train, 3);
    for (std::int64_t i : oracle("mlp_first_batch_ix").int_values())
        for (std::size_t t = 0; t < Xtr.block_size; ++t) X.push_back(Xtr.X[static_cast<std::size_t>(i) * Xtr.block_size + t]);
    const auto first = attempt([&] { return lesson02::mlp_logits(weights("mlp_init_"), X); });
    if (first)
        expect_close(*first, oracle("mlp_first_batch_logits").tensor(), "logits of the walkthrough's first minibatch",
                     1e-4f, 1e-4f);
}

BOOST_AUTO_TEST_CASE(exercise_2_3, *utf::description("cross-entropy, as F.cross_entropy computes it")) {
    const auto small = attempt([] {
        return Tensor::scalar(lesson02::cross_entropy(oracle("exercise_mlp_logits").tensor(), indices("exercise_mlp_Y")));
    });
    if (!small) return;
    expect_close(*small, loss_of("exercise_mlp_logits"), "cross_entropy of those logits");
    const auto huge = attempt([] {
        return Tensor::scalar(lesson02::cross_entropy(oracle("exercise_ce_huge").tensor(), indices("exercise_ce_huge_Y")));
    });
    if (huge) expect_close(*huge, loss_of("exercise_ce_huge"), "cross_entropy of logits near 1000 stays finite");
}

BOOST_AUTO_TEST_SUITE_END()
