// The capstone's GPTModel: its backward against finite differences (dense and with
// experts), padding that costs nothing, the sequence rows it trains on, and errors.
#include <algorithm>
#include <cmath>
#include <regex>
#include <string>
#include <tuple>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/gpt.hpp"
#include "lib/reference_file.hpp"
#include "lib/optim.hpp"
#include "lib/sequence_dataset.hpp"
#include "lib/train.hpp"
#include "tests/support/gradient_check.hpp"

using wb::Tensor;
using wb::testing::check_gradient;

BOOST_AUTO_TEST_SUITE(gpt_model)

namespace {

wb::GPTConfig tiny(std::size_t experts, std::size_t k) {
    wb::GPTConfig c;
    c.context_length = 8;
    c.emb_dim = 8;
    c.n_heads = 2;
    c.n_layers = 2;
    c.num_experts = experts;
    c.top_k = k;
    c.expert_hidden = 6;
    c.aux_loss_alpha = 0.05f;
    return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(backward_matches_finite_differences) {
    const wb::SequenceDataset rows = wb::build_sequences({"emma", "olivia", "ava"}, 8);
    for (const auto& [experts, k] : {std::pair<std::size_t, std::size_t>{0, 0}, {4, 2}, {4, 1}}) {
        wb::Generator g(3);
        wb::GPTModel model(tiny(experts, k == 0 ? 2 : k), g);
        const auto loss = [&] {
            model.forward(rows.X, 3, 8);
            return static_cast<double>(model.loss(rows.Y));
        };
        model.zero_grad();
        loss();
        model.backward();
        const std::string what = experts == 0 ? "dense " : "top-" + std::to_string(k) + " MoE ";
        const auto params = model.parameters();
        const auto names = model.parameter_names();
        BOOST_REQUIRE(names.size() == params.size());
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Tensor analytic = *model.gradients()[i];
            check_gradient(what + names[i], *params[i], analytic, loss);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_tiny_models_are_torchs) {
    // data/reference/lesson10.py: the book's GPTModel in torch, C 8, 2 heads, 2 layers,
    // on the first three training names; dense, top-2 and top-1 (Switch) experts
    static const wb::ReferenceFile oracle(WB_SOURCE_DIR "/data/reference/lesson10.txt");
    const auto close = [](const Tensor& found, const Tensor& expected, const std::string& what, float tolerance) {
        BOOST_REQUIRE_MESSAGE(found.numel() == expected.numel(), what << ": " << found.numel() << " values, torch "
                                                                       << expected.numel());
        int bad = 0;
        for (std::size_t i = 0; i < expected.numel(); ++i)
            if (std::abs(found.values()[i] - expected.values()[i]) > tolerance * (1.0f + std::abs(expected.values()[i])) &&
                bad++ < 3)
                BOOST_ERROR(what << "[" << i << "]: " << found.values()[i] << ", torch " << expected.values()[i]);
        BOOST_TEST(bad == 0, what << ": " << bad << " values differ");
    };
    std::vector<std::size_t> x;
    for (const std::int64_t v : oracle["tiny_x"].int_values()) x.push_back(static_cast<std::size_t>(v));
    const std::vector<std::int64_t> y = oracle["tiny_y"].int_values();
    for (const auto& [prefix, experts, k] : {std::tuple<std::string, std::size_t, std::size_t>{"tiny_", 0, 2},
                                             {"tiny_moe_", 4, 2}, {"tiny_moe1_", 4, 1}}) {
        wb::GPTConfig cfg;
        cfg.emb_dim = 8;
        cfg.n_heads = 2;
        cfg.n_layers = 2;
        cfg.num_experts = experts;
        cfg.top_k = k;
        cfg.expert_hidden = 16;
        wb::Generator g(123);
        wb::GPTModel model(cfg, g);
        BOOST_TEST(model.num_parameters() == static_cast<std::size_t>(oracle[prefix + "num_parameters"].integer("value")));
        close(model.forward(x, 3, 16), oracle[prefix + "logits"].tensor(), prefix + "logits", 1e-5f);
        close(Tensor::scalar(model.loss(y)), oracle[prefix + "loss"].tensor(), prefix + "loss", 1e-6f);
        if (experts) close(Tensor::scalar(model.aux_loss()), oracle[prefix + "aux_loss"].tensor(), prefix + "aux", 1e-6f);
        if (!oracle.contains(prefix + "grad_tok_emb_weight")) continue;
        model.zero_grad();
        model.backward();
        const auto names = model.parameter_names();
        const auto torch_names = oracle[prefix + "parameter_names"].text;
        BOOST_REQUIRE(torch_names.size() == names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            BOOST_TEST(torch_names[i].substr(0, torch_names[i].find(' ')) == names[i]);
            std::string record = names[i];
            std::replace(record.begin(), record.end(), '.', '_');
            close(*model.gradients()[i], oracle[prefix + "grad_" + record].tensor(), prefix + "grad " + names[i], 1e-5f);
        }
    }
}

BOOST_AUTO_TEST_CASE(padding_neither_counts_nor_leaks) {
    // "ava" in a row of 8 and in a row of 4 (no padding) gives the same loss: the
    // -1 targets are skipped and causal attention never reads the later positions
    wb::Generator g1(5), g2(5);
    wb::GPTModel a(tiny(0, 2), g1), b(tiny(0, 2), g2);
    const wb::SequenceDataset long_row = wb::build_sequences({"ava"}, 8), short_row = wb::build_sequences({"ava"}, 4);
    BOOST_TEST(long_row.num_targets == 4u);
    a.forward(long_row.X, 1, 8);
    b.forward(short_row.X, 1, 4);
    BOOST_TEST(a.loss(long_row.Y) == b.loss(short_row.Y), boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(training_learns_counts_its_tokens_and_repeats_itself) {
    const std::vector<std::string> names = {"emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper"};
    const wb::SequenceDataset rows = wb::build_sequences(names, 9);
    std::vector<std::vector<float>> runs;
    for (int run = 0; run < 2; ++run) {
        wb::Generator g(7), batches(8);
        wb::GPTConfig cfg = tiny(4, 2);
        cfg.context_length = 9;
        wb::GPTModel model9(cfg, g);
        wb::AdamW adamw(model9.parameters(), model9.gradients());
        wb::TrainOptions options;
        options.steps = 60;
        options.batch_size = 4;
        options.learning_rate = [](std::size_t) { return 1e-2f; };
        options.print_every = 0;
        options.progress = false;
        const float before = wb::evaluate(model9, rows);
        const wb::TrainHistory h = wb::train(model9, rows, batches, options, adamw);
        const float after = wb::evaluate(model9, rows);
        BOOST_TEST(after < before - 0.5f);  // eight names, memorised fast
        // the targets of the same 60 batches, drawn again, padding not counted
        wb::Generator again(8);
        std::size_t tokens = 0;
        std::vector<std::size_t> Xb;
        std::vector<std::int64_t> Yb;
        for (int step = 0; step < 60; ++step) {
            rows.gather(again.randint(0, static_cast<std::int64_t>(rows.size()), 4), Xb, Yb);
            tokens += wb::count_targets(Yb);
        }
        BOOST_TEST(h.tokens == tokens);
        BOOST_TEST(tokens < 60u * 4u * 9u);
        // evaluate is the mean cross-entropy over every character: one batch of all rows
        model9.forward(rows.X, rows.size(), 9);
        model9.loss(rows.Y);
        BOOST_TEST(after == model9.cross_entropy(), boost::test_tools::tolerance(1e-5f));
        BOOST_TEST(wb::count_targets(rows.Y) == rows.num_targets);
        runs.push_back(h.losses);
    }
    BOOST_TEST(runs[0] == runs[1]);  // same seeds, same losses, bit for bit
}

// A learning rate of 1e30 throws the weights to ~1e30 after one AdamW step: the next
// step's numbers overflow, and training stops there, naming the step, instead of
// going on with NaN: at the loss, or (with experts) earlier, at the router's NaN
// probabilities, which top_k refuses.
BOOST_AUTO_TEST_CASE(a_diverging_run_stops_naming_the_step) {
    const wb::SequenceDataset rows = wb::build_sequences({"emma", "olivia", "ava"}, 8);
    wb::Generator g(7), batches(8);
    wb::GPTModel model(tiny(4, 2), g);
    wb::AdamW adamw(model.parameters(), model.gradients());
    wb::TrainOptions options;
    options.steps = 20;
    options.batch_size = 2;
    options.learning_rate = [](std::size_t) { return 1e30f; };
    options.print_every = 0;
    options.progress = false;
    std::string message;
    try {
        wb::train(model, rows, batches, options, adamw);
    } catch (const wb::ValueError& e) {
        message = e.what();
    }
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_match(message, m, std::regex(R"(training (?:diverged: the loss is (?:nan|inf|-inf) at step (\d+) \(learning rate 1e\+30\); )"
                                                              R"(try a smaller learning rate|stopped at step (\d+) \(learning rate 1e\+30\): .* is nan.*))")),
                       "the message was: " << message);
    const int step = std::stoi(m[1].matched ? m[1].str() : m[2].str());
    BOOST_TEST(step >= 1);  // step 0 starts from the initial weights: a finite loss
    BOOST_TEST(step < 20);
}

BOOST_AUTO_TEST_CASE(bad_input_is_named) {
    wb::Generator g(1);
    wb::GPTModel model(tiny(0, 2), g);
    BOOST_CHECK_EXCEPTION(model.forward(std::vector<std::size_t>(9, 0), 1, 9), wb::ShapeError, [](const wb::ShapeError& e) {
        return std::string(e.what()).find("9 tokens per row; the model's context is 1 to 8") != std::string::npos;
    });
    model.forward(std::vector<std::size_t>(8, 0), 1, 8);
    BOOST_CHECK_THROW(model.loss(std::vector<std::int64_t>(8, -1)), wb::ValueError);
    BOOST_CHECK_THROW(model.loss(std::vector<std::int64_t>(8, 27)), wb::IndexError);
    wb::GPTConfig odd = tiny(0, 2);
    odd.n_heads = 3;
    BOOST_CHECK_EXCEPTION(wb::GPTModel(odd, g), wb::ValueError, [](const wb::ValueError& e) {
        return std::string(e.what()).find("emb_dim (8) must be divisible by n_heads (3)") != std::string::npos;
    });
    BOOST_CHECK_THROW(wb::build_sequences({"abcdefghij"}, 8), wb::DataError);
}

BOOST_AUTO_TEST_SUITE_END()
