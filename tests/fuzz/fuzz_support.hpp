#pragma once
// What every fuzz target shares: the contract, and the fuzz input as a file.
//
// The contract of a parser of outside input: it returns, or it throws one of wb's
// error types (lib/errors.hpp) with a message. A crash, a sanitizer report, a hang,
// a huge allocation or any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

#include <sys/mman.h>
#include <cxxabi.h>
#include <unistd.h>

#include "lib/errors.hpp"

namespace wb::fuzz {

[[noreturn]] inline void finding(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz finding: %s: %s\n", what, detail.c_str());
    std::abort();  // libFuzzer keeps the input; the replay test fails
}

// The exception's type as written in C++ ("std::out_of_range").
inline std::string type_name(const std::exception& e) {
    int status = 0;
    char* name = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
    std::string out = status == 0 ? name : typeid(e).name();
    std::free(name);
    return out;
}

// Runs `parse`; a wb error must carry a message, anything else thrown is a finding.
template <typename F>
void expect_wb_errors(F&& parse) {
    try {
        parse();
    } catch (const ShapeError& e) {
        if (*e.what() == '\0') finding("ShapeError without a message", "");
    } catch (const IndexError& e) {
        if (*e.what() == '\0') finding("IndexError without a message", "");
    } catch (const ValueError& e) {
        if (*e.what() == '\0') finding("ValueError without a message", "");
    } catch (const DataError& e) {
        if (*e.what() == '\0') finding("DataError without a message", "");
    } catch (const std::exception& e) {
        finding(("not a wb error: " + type_name(e)).c_str(), e.what());
    } catch (...) {
        finding("a thrown non-exception", "");
    }
}

// The fuzz input as a file the parsers can open by name: an in-memory file
// (memfd), rewritten for every input, read through /proc/self/fd/N.
class InputFile {
public:
    InputFile() : fd_(memfd_create("fuzz_input", 0)) {
        if (fd_ < 0) finding("memfd_create failed", "");
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    const std::string& write(const std::uint8_t* data, std::size_t size) {
        if (ftruncate(fd_, 0) != 0) finding("ftruncate failed", "");
        for (std::size_t done = 0; done < size;) {
            const ssize_t n = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
            if (n <= 0) finding("pwrite failed", "");
            done += static_cast<std::size_t>(n);
        }
        return path_;
    }

private:
    int fd_;
    std::string path_;
};

// One file for the whole run (fuzz targets run one input at a time).
inline const std::string& as_file(const std::uint8_t* data, std::size_t size) {
    static InputFile file;
    return file.write(data, size);
}

}  // namespace wb::fuzz
