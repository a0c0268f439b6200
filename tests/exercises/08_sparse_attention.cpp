// Lesson 08's exercises, checked against the torch oracle (data/reference/lesson08.txt).
// Built twice: with solutions/ (in the test suite) and with the student's file
// (`./workbook check 08`).
#include <string>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson08::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;
using wb::testing::expect_true;

namespace {

const wb::ReferenceFile& oracle() { return wb::testing::reference("lesson08.txt"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson08)

BOOST_AUTO_TEST_CASE(exercise_8_1, *utf::description("the strided mask")) {
    for (const auto& [T, l] : {std::pair{8, 3}, {10, 4}, {7, 2}, {5, 1}}) {
        const std::string args = std::to_string(T) + ", " + std::to_string(l);
        const auto found = attempt(
            [&] { return lesson08::strided_mask(static_cast<std::size_t>(T), static_cast<std::size_t>(l)); });
        if (!found) return;
        const std::string name = "ex_strided_mask_T" + std::to_string(T) + "_l" + std::to_string(l);
        if (!expect_close(*found, oracle()[name].tensor(), "strided_mask(" + args + ")", 0.0f, 0.0f)) return;
    }
}

BOOST_AUTO_TEST_CASE(exercise_8_2, *utf::description("the fixed mask")) {
    for (const auto& [T, l, c] : {std::tuple{12, 4, 1}, {10, 3, 2}, {6, 6, 6}}) {
        const std::string args = std::to_string(T) + ", " + std::to_string(l) + ", " + std::to_string(c);
        const auto found = attempt([&] {
            return lesson08::fixed_mask(static_cast<std::size_t>(T), static_cast<std::size_t>(l),
                                        static_cast<std::size_t>(c));
        });
        if (!found) return;
        const std::string name =
            "ex_fixed_mask_T" + std::to_string(T) + "_l" + std::to_string(l) + "_c" + std::to_string(c);
        if (!expect_close(*found, oracle()[name].tensor(), "fixed_mask(" + args + ")", 0.0f, 0.0f)) return;
    }
}

BOOST_AUTO_TEST_CASE(exercise_8_3, *utf::description("pairs in a sliding window, by formula")) {
    for (const auto& [T, w] : {std::pair{16, 4}, {100, 7}, {16384, 256}, {9, 9}, {1, 1}, {5, 3}}) {
        const std::string args = std::to_string(T) + ", " + std::to_string(w);
        const auto found = attempt([&] {
            return lesson08::sliding_window_pairs(static_cast<std::uint64_t>(T), static_cast<std::uint64_t>(w));
        });
        if (!found) return;
        const auto expected = static_cast<std::uint64_t>(
            oracle()["ex_window_pairs_T" + std::to_string(T) + "_w" + std::to_string(w)].integer("value"));
        if (!expect_true(*found == expected, "sliding_window_pairs(" + args + ") should be " +
                                                 std::to_string(expected) + " (counted by torch); got " +
                                                 std::to_string(*found)))
            return;
    }
}

BOOST_AUTO_TEST_SUITE_END()
