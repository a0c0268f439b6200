// The one translation unit that gives each test program its main().
#define BOOST_TEST_MODULE attention_workbook
#include <boost/test/unit_test.hpp>
