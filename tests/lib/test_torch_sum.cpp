// Sums add up in torch's order: bit for bit against torch (data/reference/reductions.txt).
#include <cstdlib>
#include <cstring>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/kernels.hpp"
#include "lib/ops.hpp"
#include "lib/random.hpp"
#include "lib/reference_file.hpp"

namespace {

const wb::ReferenceFile& sums() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/reductions.txt");
    return file;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

BOOST_AUTO_TEST_SUITE(torch_sum_order)

BOOST_AUTO_TEST_CASE(full_sums_of_every_length_match_torch) {
    int n = 0;
    for (const wb::ReferenceRecord& r : sums().records()) {
        if (r.field("op") != "sum_all") continue;
        const float expected = std::strtof(r.field("result").c_str(), nullptr);
        const float ours = wb::sum(r.tensor()).item();
        BOOST_TEST(same_bits(ours, expected), "[" << r.name << "] ours " << ours << ", torch " << expected);
        ++n;
    }
    BOOST_TEST(n >= 15);
}

BOOST_AUTO_TEST_CASE(long_sums_of_rand_match_torch) {
    int n = 0;
    for (const wb::ReferenceRecord& r : sums().records()) {
        if (r.field("op") != "sum_rand") continue;
        wb::Generator gen(static_cast<std::uint64_t>(r.integer("seed")));
        const wb::Tensor x = gen.rand({static_cast<std::size_t>(r.integer("numel"))});
        const float expected = std::strtof(r.field("result").c_str(), nullptr);
        const float ours = wb::sum(x).item();
        BOOST_TEST(same_bits(ours, expected), "[" << r.name << "] ours " << ours << ", torch " << expected);
        ++n;
    }
    BOOST_TEST(n >= 2);
}

BOOST_AUTO_TEST_CASE(sums_along_a_dimension_match_torch) {
    int n = 0;
    for (const wb::ReferenceRecord& r : sums().records()) {
        if (r.field("op") != "sum_dim") continue;
        const wb::Tensor ours = wb::sum(r.tensor(), static_cast<int>(r.integer("dim")));
        const wb::Tensor expected = sums()[r.name + "_result"].tensor();
        BOOST_TEST_REQUIRE(wb::to_string(ours.shape()) == wb::to_string(expected.shape()));
        int differing = 0;
        for (std::size_t i = 0; i < ours.numel(); ++i) differing += !same_bits(ours.values()[i], expected.values()[i]);
        BOOST_TEST(differing == 0, "[" << r.name << "] " << differing << " of " << ours.numel() << " sums differ from torch's");
        ++n;
    }
    BOOST_TEST(n >= 10);
}

// linear_backward's bias gradient reads a block of columns a row at a time; it must
// add each column in the order sum(x, 0) does, bit for bit, for any width and any
// block of columns.
BOOST_AUTO_TEST_CASE(column_sums_in_blocks_are_sum_over_dim_0) {
    wb::Generator g(3);
    for (const std::size_t rows : {1, 6, 17, 512, 1000})
        for (const std::size_t cols : {1, 3, 4, 8, 27, 64, 100}) {
            const wb::Tensor x = g.randn({rows, cols});
            const wb::Tensor expected = wb::sum(x, 0);
            std::vector<float> found(cols, 0.0f);
            for (std::size_t c0 = 0; c0 < cols; c0 += 16)
                wb::detail::add_torch_column_sums(found.data(), x.data(), rows, cols, cols, c0, std::min(cols, c0 + 16));
            std::size_t differ = 0;
            for (std::size_t c = 0; c < cols; ++c) differ += !same_bits(found[c], expected.values()[c]);
            BOOST_CHECK_MESSAGE(differ == 0, differ << " of " << cols << " column sums differ, " << rows << " rows");
        }
}

BOOST_AUTO_TEST_SUITE_END()
