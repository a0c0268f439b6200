#include "tests/support/printed_in_order.hpp"

#include <boost/test/unit_test.hpp>

namespace wb::testing {

void expect_printed_in_order(const std::string& output, const ReferenceFile& oracle,
                             const std::vector<std::string>& names, const std::string& prefix) {
    std::size_t pos = 0;
    for (const std::string& name : names) {
        const std::string expected = oracle[prefix + name].printed();
        const std::size_t found = output.find(expected, pos);
        BOOST_TEST(found != std::string::npos, "torch's [" << prefix << name << "] is not printed where expected (after offset "
                                                           << pos << "):\n"
                                                           << expected << "\nlesson output from there:\n"
                                                           << output.substr(pos, 400));
        if (found != std::string::npos) pos = found + expected.size();
    }
}

}  // namespace wb::testing
