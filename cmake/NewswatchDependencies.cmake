# Every dependency comes from a Debian 12 package; a missing one stops configuration with the
# package to install (scripts/install-deps installs them all).
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config (or run scripts/install-deps)")
endif()
find_package(Threads REQUIRED)

# newswatch_require_pkg(<pkg-config module> <Debian package>) defines PkgConfig::<module>.
function(newswatch_require_pkg module debian_package)
  pkg_check_modules(${module} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${module}_FOUND)
    message(FATAL_ERROR
      "newswatch needs ${module} (pkg-config), which is missing: apt-get install ${debian_package} "
      "(or run scripts/install-deps)")
  endif()
endfunction()

newswatch_require_pkg(libcurl libcurl4-openssl-dev)
newswatch_require_pkg(pugixml libpugixml-dev)
newswatch_require_pkg(spdlog libspdlog-dev)
newswatch_require_pkg(fmt libfmt-dev)
newswatch_require_pkg(sqlite3 libsqlite3-dev)
newswatch_require_pkg(re2 libre2-dev)
newswatch_require_pkg(libutf8proc libutf8proc-dev)
newswatch_require_pkg(libsystemd libsystemd-dev)
newswatch_require_pkg(tomlplusplus libtomlplusplus-dev)
newswatch_require_pkg(nlohmann_json nlohmann-json3-dev)
newswatch_require_pkg(CLI11 libcli11-dev)
newswatch_require_pkg(zlib zlib1g-dev)
newswatch_require_pkg(liburiparser liburiparser-dev)
newswatch_require_pkg(libpsl libpsl-dev)
newswatch_require_pkg(libidn2 libidn2-dev)
newswatch_require_pkg(openssl libssl-dev)
# Header-only Mustache renderer (libkainjow-mustache-dev ships no pkg-config file).
find_path(NEWSWATCH_MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp)
if(NOT NEWSWATCH_MUSTACHE_INCLUDE_DIR)
  message(FATAL_ERROR "newswatch needs kainjow/mustache.hpp: apt-get install libkainjow-mustache-dev "
                      "(or run scripts/install-deps)")
endif()

find_package(Boost 1.74 QUIET CONFIG)
if(NOT Boost_FOUND)
  message(FATAL_ERROR "newswatch needs Boost 1.74 (Asio, Beast): apt-get install libboost1.74-dev "
                      "(or run scripts/install-deps)")
endif()

if(NEWSWATCH_BUILD_TESTS)
  find_package(GTest QUIET)
  if(NOT GTest_FOUND)
    message(FATAL_ERROR "newswatch tests need GoogleTest: apt-get install libgtest-dev libgmock-dev "
                        "(or run scripts/install-deps)")
  endif()
endif()
if(NEWSWATCH_BUILD_BENCH)
  newswatch_require_pkg(benchmark libbenchmark-dev)
endif()
