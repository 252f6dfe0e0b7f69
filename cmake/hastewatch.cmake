# hw_library(NAME SOURCES ... DEPS ...): one static library per subsystem, includes
# rooted at src/ (docs/STYLE.md), linked along the data flow.
function(hw_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(hw_${name} STATIC ${ARG_SOURCES})
  target_include_directories(hw_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(hw_${name} PUBLIC ${ARG_DEPS})
endfunction()

# hw_test(NAME SOURCES ... DEPS ...): a GoogleTest binary beside the code it tests,
# registered with CTest under its own name.
function(hw_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT 300 LABELS unit)
endfunction()
