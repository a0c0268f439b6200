#pragma once
// `./workbook run NN --mine`: the walkthrough with the student's exercise answers
// in the places where lib computes the same step, so they see their matrices where
// the book's would be, and the first place they part from the book.
//
// A lesson marks such a step in its main.cpp:
//
//   const Tensor weights = yours.step("5.1", [&](const Tensor& s) { return softmax(masked_fill(s, ...), -1); },
//                                     scores);
//
// `lessonNN` (what `run NN` runs) links lessons/book.cpp, which registers nothing,
// so step() is just the book's lambda. `lessonNN_mine` links the student's
// exercises.cpp and the lesson's yours.cpp, which registers each answer:
//
//   wb::YourExercises wb::your_exercises() {
//       YourExercises yours;
//       yours.add("5.1", "causal_softmax", lesson05::causal_softmax);
//       return yours;
//   }
//
// Then step() computes both, prints one line saying how the student's compares,
// and goes on with theirs (with the book's while theirs is a TODO or throws).
#include <any>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "lib/errors.hpp"
#include "lib/tensor.hpp"

namespace wb {

// How the student's answer compares with the book's: nothing when they agree to
// the printed digits, else a sentence saying where they part.
std::optional<std::string> difference(const Tensor& book, const Tensor& yours);
std::optional<std::string> difference(double book, double yours);
std::optional<std::string> difference(std::uint64_t book, std::uint64_t yours);

// Lists of choices (experts, kept flags): the first entry that differs.
template <class T>
std::optional<std::string> difference(const std::vector<T>& book, const std::vector<T>& yours) {
    if (book.size() != yours.size())
        return "it has " + std::to_string(yours.size()) + " entries, the book's " + std::to_string(book.size());
    std::size_t differing = 0, first = 0;
    for (std::size_t i = 0; i < book.size(); ++i)
        if (book[i] != yours[i] && differing++ == 0) first = i;
    if (differing == 0) return std::nullopt;
    return std::to_string(differing) + " of " + std::to_string(book.size()) + " entries differ, the first at " +
           std::to_string(first) + ": " + std::to_string(yours[first]) + " where the book has " +
           std::to_string(book[first]);
}

// Two results in one (the experts and their weights): the first part that differs.
template <class A, class B>
std::optional<std::string> difference(const std::pair<A, B>& book, const std::pair<A, B>& yours) {
    if (auto gap = difference(book.first, yours.first)) return gap;
    return difference(book.second, yours.second);
}

class YourExercises {
public:
    // The student's answer to exercise `id` ("5.1"), `name` as exercises.hpp calls it.
    template <class R, class... Params>
    void add(std::string id, std::string name, R (*answer)(Params...)) {
        // Stored by the decayed argument types, the form step() is called with.
        using Erased = std::function<R(std::tuple<std::decay_t<Params>...>&)>;
        Erased call = [answer](std::tuple<std::decay_t<Params>...>& args) { return std::apply(answer, args); };
        entries_.push_back({std::move(id), std::move(name), std::any(std::move(call)), typeid(Erased).name(), {}});
    }

    bool mine() const { return !entries_.empty(); }

    // One step of the walkthrough that exercise `id` also computes: book(args...),
    // and with --mine the student's answer on copies of the same arguments, which
    // the walkthrough then goes on with.
    template <class Book, class... Args>
    auto step(const std::string& id, const Book& book, Args&&... args) {
        using Result = std::decay_t<decltype(book(args...))>;
        std::tuple<std::decay_t<Args>...> copies(args...);  // before the book's step moves a generator on
        Result result = book(args...);
        if (auto theirs = try_yours(id, copies, result, true)) return std::move(*theirs);
        return result;
    }

    // For an exercise that computes what the walkthrough shows in another form (one
    // sequence of a batch, a count): with --mine, says how the student's answer on
    // `args` compares with `book`; the walkthrough goes on with the book's.
    template <class Result, class... Args>
    void compare(const std::string& id, const Result& book, const Args&... args) {
        std::tuple<std::decay_t<Args>...> copies(args...);
        try_yours(id, copies, book, false);
    }

    // With --mine, the closing table: each exercise and how it went (or that this
    // walkthrough has no step for it). Nothing without --mine.
    void print_summary() const;

private:
    struct Entry {
        std::string id, name;
        std::any answer;
        std::string signature;
        std::vector<std::string> outcomes;  // one per step it computed
    };
    Entry* find(const std::string& id);

    // The student's answer on `copies` when it differs from `book` and `substitute`
    // is on; one line of report either way.
    template <class Result, class Copies>
    std::optional<Result> try_yours(const std::string& id, Copies& copies, const Result& book, bool substitute) {
        Entry* entry = find(id);
        if (entry == nullptr) return std::nullopt;
        using Erased = std::function<Result(Copies&)>;
        const auto* answer = std::any_cast<Erased>(&entry->answer);
        if (answer == nullptr)
            throw std::logic_error("lesson bug: step " + id + " passes (" + typeid(Erased).name() + ") but " +
                                   entry->name + " was registered as (" + entry->signature + ")");
        const std::string books = substitute ? "; the numbers below are the book's" : "";
        try {
            Result theirs = (*answer)(copies);
            if (const auto gap = difference(book, theirs)) {
                report(*entry, "differs from the book's: " + *gap + (substitute ? "; the numbers below are yours" : ""),
                       "differs");
                if (substitute) return theirs;
                return std::nullopt;
            }
            report(*entry, "the same as the book's", "same as the book");
        } catch (const NotImplemented&) {
            report(*entry, "still a TODO" + books, "TODO");
        } catch (const std::exception& e) {
            report(*entry, std::string("threw \"") + e.what() + "\"" + books, "threw");
        }
        return std::nullopt;
    }
    void report(Entry& entry, const std::string& line, const std::string& outcome);

    std::vector<Entry> entries_;
};

// The student's answers, for lessonNN_mine; none for lessonNN (lessons/book.cpp).
YourExercises your_exercises();

}  // namespace wb
