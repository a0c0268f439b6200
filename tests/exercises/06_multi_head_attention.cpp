// Lesson 06's exercises, checked against the torch oracle (data/reference/lesson06.txt).
// Built twice: with solutions/ (in the test suite) and with the student's file
// (`./workbook check 06`).
#include <string>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "lib/book_inputs.hpp"
#include "lib/ops.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson06::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;

namespace {

const wb::ReferenceFile& oracle_file() { return wb::testing::reference("lesson06.txt"); }
Tensor oracle(const std::string& name) { return oracle_file()[name].tensor(); }

const int kSeeds[] = {7, 11};

std::string seeded(const std::string& name, int seed) { return name + "_seed" + std::to_string(seed); }

std::string random_x(int seed) {
    return "x = torch.rand(2, 5, 6) after torch.manual_seed(" + std::to_string(seed) + ")";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson06)

BOOST_AUTO_TEST_CASE(exercise_6_1, *utf::description("split the last dimension into heads")) {
    for (const int seed : kSeeds)
        for (const std::size_t heads : {3, 2}) {
            const auto found = attempt([&] { return lesson06::split_heads(oracle(seeded("ex_split_x", seed)), heads); });
            if (!found) return;
            expect_close(*found, oracle(seeded("ex_split_heads" + std::to_string(heads), seed)),
                         "split_heads(x, " + std::to_string(heads) + ") with " + random_x(seed));
        }
}

BOOST_AUTO_TEST_CASE(exercise_6_2, *utf::description("merge the heads back")) {
    for (const int seed : kSeeds)
        for (const std::size_t heads : {3, 2}) {
            const auto found = attempt(
                [&] { return lesson06::merge_heads(oracle(seeded("ex_split_heads" + std::to_string(heads), seed))); });
            if (!found) return;
            expect_close(*found, oracle(seeded("ex_split_x", seed)),
                         "merge_heads(x split into " + std::to_string(heads) + " heads) with " + random_x(seed));
        }
}

BOOST_AUTO_TEST_CASE(exercise_6_3, *utf::description("a wrapper with 2-dimensional output (the book's exercise 3.2)")) {
    const Tensor inputs = wb::your_journey_starts_with_one_step().vectors;
    const Tensor batch = wb::stack({inputs, inputs});
    for (const int seed : kSeeds) {
        wb::Generator g(static_cast<std::uint64_t>(seed));
        const auto found = attempt([&] { return lesson06::two_dimensional_wrapper(g).forward(batch); });
        if (!found) return;
        expect_close(*found, oracle(seeded("ex32_out", seed)),
                     "two_dimensional_wrapper(g).forward(batch), torch.manual_seed(" + std::to_string(seed) + ")");
    }
}

BOOST_AUTO_TEST_CASE(exercise_6_4, *utf::description("count a GPT-2-sized module's parameters (exercise 3.3)")) {
    const auto found = attempt([] { return lesson06::gpt2_attention_parameters(); });
    if (!found) return;
    const auto expected = static_cast<std::uint64_t>(oracle_file()["params_gpt2_mha"].integer("value"));
    wb::testing::expect_true(*found == expected, "gpt2_attention_parameters() should be torch's count, " +
                                                     std::to_string(expected) + "; got " + std::to_string(*found));
}

BOOST_AUTO_TEST_SUITE_END()
