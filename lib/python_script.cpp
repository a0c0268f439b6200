#include "lib/python_script.hpp"

#include <array>
#include <cstdio>

namespace wb {
namespace {

// Single quotes keep spaces and $ in paths as they are; a ' inside becomes '\''.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

std::vector<std::string> run_python(const std::string& script, const std::vector<std::string>& arguments,
                                    const std::string& environment) {
    std::string command = environment.empty() ? "" : environment + " ";
    command += "/usr/bin/python3 " + quoted(script);
    for (const std::string& a : arguments) command += " " + quoted(a);
    command += " 2>/dev/null";
    std::vector<std::string> lines;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return lines;
    std::array<char, 1024> buffer{};
    std::string line;
    while (std::fgets(buffer.data(), buffer.size(), pipe)) {
        line += buffer.data();
        if (!line.empty() && line.back() == '\n') {
            line.pop_back();
            lines.push_back(line);
            line.clear();
        }
    }
    if (!line.empty()) lines.push_back(line);
    // a script that failed half-way may have printed a version but no result: none of it counts
    if (pclose(pipe) != 0) lines.clear();
    return lines;
}

std::optional<std::string> find_value(const std::vector<std::string>& lines, const std::string& key) {
    for (const std::string& line : lines)
        if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 && line[key.size()] == ' ')
            return line.substr(key.size() + 1);
    return std::nullopt;
}

}  // namespace wb
