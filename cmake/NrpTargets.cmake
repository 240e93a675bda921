# Project code is compiled with warnings as errors; generated code is not.
function(nrp_strict target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
endfunction()

# nrp_library(name SOURCES ... DEPS ...): a static library with include/ as its public headers.
function(nrp_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  nrp_strict(${name})
endfunction()

# nrp_test(name SOURCES ... DEPS ... [LABELS ...] [INFRA]): a GoogleTest binary registered with ctest.
# INFRA marks tests that need the PostgreSQL/Redis/broker started by scripts/test.
function(nrp_test name)
  cmake_parse_arguments(ARG "INFRA" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  nrp_strict(${name})
  add_test(NAME ${name} COMMAND ${name} --gtest_color=no)
  set(labels ${ARG_LABELS})
  if(ARG_INFRA)
    list(APPEND labels infra)
  else()
    list(APPEND labels unit)
  endif()
  set(timeout 300)
  if(ARG_TIMEOUT)
    set(timeout ${ARG_TIMEOUT})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" TIMEOUT ${timeout})
endfunction()
