// The capstone's GPTModel: its backward against finite differences (dense and with
// experts), padding that costs nothing, the sequence rows it trains on, and errors.
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/gpt.hpp"
#include "lib/sequence_dataset.hpp"
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
