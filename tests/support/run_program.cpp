#include "tests/support/run_program.hpp"

#include <cstdio>
#include <regex>

#include <boost/test/unit_test.hpp>

namespace wb::testing {

std::string run_program(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    BOOST_TEST_REQUIRE(pipe != nullptr, "cannot run " << command);
    char buffer[4096];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    BOOST_TEST(pclose(pipe) == 0, "the program exited with an error: " << command);
    return out;
}

std::vector<double> numbers(const std::string& text) {
    static const std::regex number(R"(-?\d+\.\d+(e[-+]\d+)?)");
    std::vector<double> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it)
        out.push_back(std::stod(it->str()));
    return out;
}

}  // namespace wb::testing
