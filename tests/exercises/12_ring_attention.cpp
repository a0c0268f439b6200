// Lesson 12's exercises, checked against the torch oracle (data/reference/lesson12.txt:
// the schedule from torch.roll, the split from torch.tensor_split). Built twice: with
// solutions/ (in the test suite) and with the student's file (`./workbook check 12`).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using wb::testing::attempt;
using wb::testing::expect_true;

namespace {

const wb::ReferenceFile& oracle() { return wb::testing::reference("lesson12.txt"); }

const std::vector<std::pair<std::size_t, std::size_t>> kSplits = {{6, 1}, {6, 2}, {6, 3},    {6, 4},
                                                                   {6, 5}, {6, 6}, {7, 3},    {1000, 3},
                                                                   {1001, 4}, {8192, 4}, {10, 7}};

std::string list(const std::vector<std::size_t>& xs) {
    std::string s = "{";
    for (std::size_t i = 0; i < xs.size(); ++i) s += (i ? ", " : "") + std::to_string(xs[i]);
    return s + "}";
}

std::vector<std::size_t> oracle_sizes(std::size_t T, std::size_t P) {
    std::vector<std::size_t> sizes;
    for (const std::int64_t n : oracle()["ex_sizes_T" + std::to_string(T) + "_P" + std::to_string(P)].int_values())
        sizes.push_back(static_cast<std::size_t>(n));
    return sizes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson12)

BOOST_AUTO_TEST_CASE(exercise_12_1, *utf::description("the ring schedule: which block rank r holds at step s")) {
    for (std::size_t P = 1; P <= 6; ++P) {
        const std::vector<std::int64_t> table = oracle()["ex_held_P" + std::to_string(P)].int_values();
        for (std::size_t r = 0; r < P; ++r)
            for (std::size_t s = 0; s < P; ++s) {
                const auto found = attempt([&] { return lesson12::held_block(r, s, P); });
                if (!found) return;
                const std::size_t expected = static_cast<std::size_t>(table[r * P + s]);
                if (!expect_true(*found == expected, "held_block(" + std::to_string(r) + ", " + std::to_string(s) +
                                                         ", " + std::to_string(P) + ") returned " +
                                                         std::to_string(*found) + "; expected " +
                                                         std::to_string(expected)))
                    return;
            }
    }
}

BOOST_AUTO_TEST_CASE(exercise_12_2, *utf::description("the split into blocks, as torch.tensor_split")) {
    for (const auto& [T, P] : kSplits) {
        const auto found = attempt([&] { return lesson12::block_sizes(T, P); });
        if (!found) return;
        const std::vector<std::size_t> expected = oracle_sizes(T, P);
        if (!expect_true(*found == expected, "block_sizes(" + std::to_string(T) + ", " + std::to_string(P) +
                                                 ") returned " + list(*found) + "; expected " + list(expected)))
            return;
    }
    for (const auto& [T, P] : std::vector<std::pair<std::size_t, std::size_t>>{{6, 0}, {3, 4}}) {
        bool refused = false;
        try {
            lesson12::block_sizes(T, P);
        } catch (const wb::ValueError&) {
            refused = true;
        } catch (const wb::NotImplemented&) {
            return;
        } catch (const std::exception&) {
        }
        if (!expect_true(refused, "block_sizes(" + std::to_string(T) + ", " + std::to_string(P) +
                                      ") must throw wb::ValueError (every rank needs a token)"))
            return;
    }
}

BOOST_AUTO_TEST_CASE(exercise_12_3, *utf::description("the bytes the ring sends, full and causal")) {
    for (const auto& [T, P] : kSplits)
        for (const auto& [dk, dv] : std::vector<std::pair<std::size_t, std::size_t>>{{2, 2}, {64, 64}, {16, 8}})
            for (const bool causal : {false, true}) {
                const std::vector<std::size_t> sizes = oracle_sizes(T, P);
                const auto found = attempt([&] { return lesson12::ring_bytes(sizes, dk, dv, causal); });
                if (!found) return;
                const std::string name = "ex_bytes_T" + std::to_string(T) + "_P" + std::to_string(P) + "_dk" +
                                         std::to_string(dk) + "_dv" + std::to_string(dv) +
                                         (causal ? "_causal" : "_full");
                const std::uint64_t expected = static_cast<std::uint64_t>(oracle()[name].integer("value"));
                if (!expect_true(*found == expected, "ring_bytes(" + list(sizes) + ", " + std::to_string(dk) + ", " +
                                                         std::to_string(dv) + ", " + (causal ? "true" : "false") +
                                                         ") returned " + std::to_string(*found) + "; expected " +
                                                         std::to_string(expected)))
                    return;
            }
}

BOOST_AUTO_TEST_SUITE_END()
