# Target helpers shared by the library, the binary, tests, benchmarks and fuzzers.

function(newswatch_enable_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  if(NEWSWATCH_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(newswatch_enable_sanitizers target)
  if(NEWSWATCH_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${NEWSWATCH_SANITIZE} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${NEWSWATCH_SANITIZE})
  endif()
endfunction()
