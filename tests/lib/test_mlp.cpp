// The MLP of lesson 02, the n-gram dataset and the training loop: gradients against
// finite differences, and initialisation, data split, minibatches and the first
// 50 training steps against torch (data/reference/lesson02.txt).
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/mlp.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/reference_file.hpp"
#include "lib/train.hpp"
#include "lib/words.hpp"
#include "tests/support/gradient_check.hpp"

using wb::Tensor;

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson02.txt");
    return file;
}

const std::vector<std::string>& names() {
    static const std::vector<std::string> words = wb::read_words(WB_SOURCE_DIR "/data/names.txt");
    return words;
}

float hex_field(const wb::ReferenceRecord& r, const std::string& key) { return std::strtof(r.field(key).c_str(), nullptr); }

}  // namespace

BOOST_AUTO_TEST_SUITE(mlp)

namespace {

void check_mlp_gradients(const wb::MLPConfig& config, const std::vector<std::size_t>& X,
                         const std::vector<std::size_t>& Y) {
    wb::Generator g(3);
    wb::MLP model(config, g);
    model.zero_grad();
    model.forward(X);
    model.loss(Y);
    model.backward();
    const auto loss = [&] {
        model.forward(X);
        return static_cast<double>(model.loss(Y));
    };
    const std::vector<std::string> names = {"C", "W1", "b1", "W2", "b2"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        const Tensor analytic = *model.gradients()[i];
        wb::testing::check_gradient("MLP d" + names[i], *model.parameters()[i], analytic, loss);
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(backward_matches_finite_differences) {
    // contexts that repeat a character, so C's rows collect more than one gradient
    check_mlp_gradients(wb::MLPConfig{5, 2, 3, 4}, {0, 0, 0, 1, 1, 1, 4, 2, 3, 3, 2, 0}, {1, 1, 0, 4, 2, 3});
}

BOOST_AUTO_TEST_CASE(backward_matches_finite_differences_when_split_over_threads) {
    // 20 rows and 130 hidden units: two chunks of rows and two of units (lib/mlp.cpp)
    std::vector<std::size_t> X, Y;
    for (std::size_t b = 0; b < 20; ++b) {
        for (std::size_t t = 0; t < 2; ++t) X.push_back((b * 3 + t * 5) % 6);
        Y.push_back((b * 7) % 6);
    }
    check_mlp_gradients(wb::MLPConfig{6, 2, 3, 130}, X, Y);
}

BOOST_AUTO_TEST_CASE(the_split_and_the_dataset_are_makemores) {
    const wb::WordSplit split = wb::split_words(names(), 42);
    const auto& first = oracle()["split_first_words"].text;
    BOOST_TEST(std::vector<std::string>(split.train.begin(), split.train.begin() + 10) == first,
               boost::test_tools::per_element());
    const std::string sizes = std::to_string(split.train.size()) + " " + std::to_string(split.dev.size()) + " " +
                              std::to_string(split.test.size());
    BOOST_TEST(sizes == oracle()["split_sizes"].text.at(0));
    const wb::NgramDataset tr = wb::build_dataset(split.train, 3), dev = wb::build_dataset(split.dev, 3),
                           te = wb::build_dataset(split.test, 3);
    BOOST_TEST(std::to_string(tr.size()) + " " + std::to_string(dev.size()) + " " + std::to_string(te.size()) ==
               oracle()["dataset_sizes"].text.at(0));
    const auto X = oracle()["dataset_first_X"].int_values(), Y = oracle()["dataset_first_Y"].int_values();
    for (std::size_t i = 0; i < X.size(); ++i) BOOST_TEST(tr.X[i] == static_cast<std::size_t>(X[i]));
    for (std::size_t i = 0; i < Y.size(); ++i) BOOST_TEST(tr.Y[i] == static_cast<std::size_t>(Y[i]));
}

BOOST_AUTO_TEST_CASE(initialisation_minibatches_and_training_track_torch) {
    const wb::NgramDataset tr = wb::build_dataset(wb::split_words(names(), 42).train, 3);
    wb::Generator g(2147483647);
    wb::MLP model(wb::MLPConfig{}, g);
    BOOST_TEST(model.num_parameters() == static_cast<std::size_t>(oracle()["mlp_num_parameters"].integer("value")));
    const std::vector<std::string> names = {"C", "W1", "b1", "W2", "b2"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        const Tensor expected = oracle()["mlp_init_" + names[i]].tensor();
        const Tensor& ours = *model.parameters()[i];
        BOOST_TEST_REQUIRE(ours.shape() == expected.shape());
        BOOST_TEST(std::memcmp(ours.data(), expected.data(), ours.numel() * sizeof(float)) == 0,
                   names[i] << " is not torch's randn bit for bit");
    }

    // The first minibatch, drawn from the generator right after the weights.
    wb::Generator peek = g;
    const auto ix = peek.randint(0, static_cast<std::int64_t>(tr.size()), 32);
    BOOST_TEST(ix == oracle()["mlp_first_batch_ix"].int_values(), boost::test_tools::per_element());
    std::vector<std::size_t> Xb, Yb;
    tr.gather(ix, Xb, Yb);
    const Tensor logits = model.forward(Xb);
    const Tensor expected = oracle()["mlp_first_batch_logits"].tensor();
    for (std::size_t k = 0; k < logits.numel(); ++k)
        BOOST_TEST(std::abs(logits.data()[k] - expected.data()[k]) <= 1e-4f + 1e-5f * std::abs(expected.data()[k]));
    BOOST_TEST(std::abs(model.loss(Yb) - hex_field(oracle()["mlp_first_batch_logits"], "loss")) < 1e-4f);

    // 50 steps of the training loop: the same batches, the same losses (to float rounding).
    wb::TrainOptions options;
    options.steps = 50;
    options.print_every = 0;
    options.progress = false;
    const wb::TrainHistory history = wb::train(model, tr, g, options);
    const Tensor torch_losses = oracle()["mlp_losses"].tensor();
    BOOST_TEST_REQUIRE(history.losses.size() == torch_losses.numel());
    for (std::size_t k = 0; k < history.losses.size(); ++k)
        BOOST_TEST(std::abs(history.losses[k] - torch_losses.data()[k]) <= 1e-3f * torch_losses.data()[k],
                   "step " << k << ": " << history.losses[k] << " vs torch " << torch_losses.data()[k]);
}

BOOST_AUTO_TEST_CASE(bad_input_is_named) {
    wb::Generator g(0);
    wb::MLP model(wb::MLPConfig{}, g);
    BOOST_CHECK_THROW(model.forward({1, 2}), wb::ShapeError);          // not whole contexts of 3
    BOOST_CHECK_THROW(model.forward({1, 2, 27}), wb::IndexError);      // no character 27
    model.forward({1, 2, 3});
    BOOST_CHECK_THROW(model.loss({1, 2}), wb::ShapeError);             // two targets for one context
    const wb::NgramDataset four = wb::build_dataset({"emma"}, 4);
    BOOST_CHECK_THROW(wb::train(model, four, g, wb::TrainOptions{}), wb::ShapeError);
    BOOST_CHECK_THROW(model.evaluate(four), wb::ShapeError);
}

BOOST_AUTO_TEST_CASE(a_diverging_run_stops_with_an_error) {
    wb::Generator g(0);
    wb::MLP model(wb::MLPConfig{}, g);
    const wb::NgramDataset data = wb::build_dataset({"emma", "olivia", "ava"}, 3);
    wb::TrainOptions options;
    options.steps = 100;
    options.print_every = 0;
    options.progress = false;
    options.learning_rate = [](std::size_t) { return 1e30f; };
    try {
        wb::train(model, data, g, options);
        BOOST_ERROR("training with learning rate 1e30 should have stopped");
    } catch (const wb::ValueError& e) {
        // the step and the learning rate named, and what to do
        BOOST_TEST(std::regex_match(std::string(e.what()),
                                    std::regex(R"(training diverged: the loss is (nan|inf|-inf) at step [1-9]\d* )"
                                               R"(\(learning rate 1e\+30\); try a smaller learning rate)")),
                   "the message was: " << e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()
