#include "lib/yours.hpp"

#include <cmath>

#include <fmt/format.h>

#include "lib/lesson.hpp"

namespace wb {

namespace {

// Close enough that the walkthrough's four printed decimals cannot tell them apart,
// with room for another order of summation.
bool close(double book, double yours) {
    if (std::isnan(book) || std::isnan(yours)) return std::isnan(book) && std::isnan(yours);
    if (std::isinf(book) || std::isinf(yours)) return book == yours;
    return std::abs(book - yours) <= 1e-5 + 1e-4 * std::abs(book);
}

std::string index_string(const Shape& shape, std::size_t flat) {
    std::vector<std::size_t> index(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        index[d] = flat % shape[d];
        flat /= shape[d];
    }
    return fmt::format("[{}]", fmt::join(index, ", "));
}

}  // namespace

std::optional<std::string> difference(const Tensor& book, const Tensor& yours) {
    if (book.shape() != yours.shape())
        return fmt::format("its shape is {}, the book's {}", to_string(yours.shape()), to_string(book.shape()));
    std::size_t differing = 0, first = 0;
    for (std::size_t i = 0; i < book.numel(); ++i)
        if (!close(book.values()[i], yours.values()[i]) && differing++ == 0) first = i;
    if (differing == 0) return std::nullopt;
    return fmt::format("{} of {} values differ, the first at {}: {:.4f} where the book has {:.4f}", differing,
                       book.numel(), index_string(book.shape(), first), yours.values()[first],
                       book.values()[first]);
}

std::optional<std::string> difference(double book, double yours) {
    if (close(book, yours)) return std::nullopt;
    return fmt::format("{:.6g} where the book has {:.6g}", yours, book);
}

std::optional<std::string> difference(std::uint64_t book, std::uint64_t yours) {
    if (book == yours) return std::nullopt;
    return fmt::format("{} where the book has {}", yours, book);
}

YourExercises::Entry* YourExercises::find(const std::string& id) {
    for (Entry& entry : entries_)
        if (entry.id == id) return &entry;
    return nullptr;
}

void YourExercises::report(Entry& entry, const std::string& line, const std::string& outcome) {
    note(fmt::format(">> yours, {} {}: {}", entry.id, entry.name, line));
    entry.outcomes.push_back(outcome);
}

void YourExercises::print_summary() const {
    if (!mine()) return;
    section("Your exercises in this walkthrough");
    for (const Entry& entry : entries_) {
        std::string verdict;
        if (entry.outcomes.empty()) {
            verdict = "no step of this walkthrough computes it (./workbook check tests it)";
        } else {
            // The worst outcome speaks for the exercise: one differing step is enough.
            for (const char* worst : {"differs", "threw", "TODO", "same as the book"}) {
                std::size_t count = 0;
                for (const std::string& outcome : entry.outcomes) count += outcome == worst;
                if (count > 0) {
                    verdict = fmt::format("{} ({} of {} steps)", worst, count, entry.outcomes.size());
                    break;
                }
            }
        }
        note(fmt::format("{:<5} {:<26} {}", entry.id, entry.name, verdict));
    }
}

}  // namespace wb
