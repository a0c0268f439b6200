// golden_diff [--mine=PHRASE] EXPECTED_FILE PROGRAM [ARGS...]
//
// Runs PROGRAM and compares its stdout with EXPECTED_FILE (written by
// `./workbook bless NN`). Text must match exactly; a number printed with decimals
// may differ by one unit in its last digit, because BLAS kernels differ per
// processor in the 4th decimal. Exits 0 on a match, 1 with the first difference.
//
// --mine=PHRASE is for lessonNN_mine (lib/yours.hpp): every ">> yours, " line must
// hold PHRASE (e.g. "the same as the book's" with the reference solutions), there
// must be at least one, and they and the closing "Your exercises" table are left
// out of the comparison, so the rest must be the book's walkthrough.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Number {
    double value = 0;
    int decimals = 0;  // digits after the point; 0 means "compare exactly"
    std::string exponent;
    std::size_t end = 0;
};

bool starts_number(const std::string& s, std::size_t i) {
    if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) return i == 0 || !std::isalpha(static_cast<unsigned char>(s[i - 1]));
    return i + 1 < s.size() && s[i] == '-' && std::isdigit(static_cast<unsigned char>(s[i + 1]));
}

Number read_number(const std::string& s, std::size_t i) {
    Number n;
    const std::size_t start = i;
    if (s[i] == '-') ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++n.decimals;
    }
    std::size_t mantissa_end = i;
    if (i + 2 < s.size() && s[i] == 'e' && (s[i + 1] == '+' || s[i + 1] == '-')) {
        i += 2;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        n.exponent = s.substr(mantissa_end, i - mantissa_end);
    }
    n.value = std::stod(s.substr(start, mantissa_end - start));
    n.end = i;
    return n;
}

// Equal lines, allowing one unit in the last printed digit of each decimal number.
bool lines_match(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (starts_number(a, i) && starts_number(b, j)) {
            const Number x = read_number(a, i), y = read_number(b, j);
            if (x.decimals != y.decimals || x.exponent != y.exponent) return false;
            const double unit = std::pow(10.0, -x.decimals);
            if (x.decimals == 0 ? x.value != y.value : std::abs(x.value - y.value) > 1.5 * unit) return false;
            // Padding may shift by one when "-0.0001" meets "0.0000"; the numbers decide.
            i = x.end;
            j = y.end;
            continue;
        }
        if (a[i] != b[j]) return false;
        ++i, ++j;
    }
    return i == a.size() && j == b.size();
}

std::vector<std::string> lines_of(std::istream& in) {
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

// Checks and removes what lessonNN_mine adds to the walkthrough; false with a
// message when a report line lacks `phrase` or there is none.
bool strip_mine_reports(std::vector<std::string>& lines, const std::string& phrase) {
    const std::string marker = ">> yours, ", summary = "Your exercises in this walkthrough";
    std::vector<std::string> kept;
    std::size_t reports = 0;
    for (const std::string& line : lines) {
        if (line == summary) {
            if (!kept.empty() && kept.back().empty()) kept.pop_back();  // section()'s blank line
            break;
        }
        if (line.rfind(marker, 0) != 0) {
            kept.push_back(line);
            continue;
        }
        ++reports;
        if (line.find(phrase) == std::string::npos) {
            std::cerr << "a step did not report \"" << phrase << "\":\n  " << line << "\n";
            return false;
        }
    }
    if (reports == 0) {
        std::cerr << "no \"" << marker << "\" lines: no step of this walkthrough called your exercises\n";
        return false;
    }
    lines = kept;
    return true;
}

int main(int argc, char** argv) {
    std::string mine_phrase;
    if (argc > 1 && std::string(argv[1]).rfind("--mine=", 0) == 0) {
        mine_phrase = std::string(argv[1]).substr(7);
        --argc, ++argv;
    }
    if (argc < 3) {
        std::cerr << "usage: golden_diff [--mine=PHRASE] EXPECTED_FILE PROGRAM [ARGS...]\n";
        return 2;
    }
    std::ifstream expected_file(argv[1]);
    if (!expected_file) {
        std::cerr << argv[1] << ": cannot open; write it with ./workbook bless NN\n";
        return 1;
    }
    const std::vector<std::string> expected = lines_of(expected_file);

    std::string command;
    for (int k = 2; k < argc; ++k) command += shell_quote(argv[k]) + " ";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) {
        std::cerr << "cannot run " << command << "\n";
        return 1;
    }
    std::string output;
    char buffer[4096];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
    const int status = pclose(pipe);
    if (status != 0) {
        std::cerr << argv[2] << " exited with status " << status << "\n";
        return 1;
    }
    std::istringstream out_stream(output);
    std::vector<std::string> found = lines_of(out_stream);
    if (!mine_phrase.empty() && !strip_mine_reports(found, mine_phrase)) return 1;

    for (std::size_t k = 0; k < std::max(expected.size(), found.size()); ++k) {
        const std::string e = k < expected.size() ? expected[k] : "<end of file>";
        const std::string f = k < found.size() ? found[k] : "<end of output>";
        if (k < expected.size() && k < found.size() && lines_match(e, f)) continue;
        std::cerr << "output differs from " << argv[1] << " at line " << k + 1 << ":\n"
                  << "  expected: " << e << "\n  found:    " << f << "\n"
                  << "If the change is intended, re-bless: ./workbook bless NN\n";
        return 1;
    }
    std::cout << "output matches " << argv[1] << " (" << found.size() << " lines)\n";
    return 0;
}
