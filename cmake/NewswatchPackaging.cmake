# Installation layout, the generated manual page and the Debian package (CPack DEB).
#
#   cmake --install build --prefix /tmp/x     everything under /tmp/x (bin, lib, share, etc)
#   prefix /usr (scripts/package)             the Debian layout: /usr/bin, /lib/systemd/system,
#                                             /usr/lib/{sysusers,tmpfiles}.d, /etc/newswatch
include(GNUInstallDirs)

option(NEWSWATCH_REQUIRE_MAN_PAGE "Fail configuration when help2man is missing (package builds)" OFF)
set(NEWSWATCH_MAINTAINER "newswatch maintainers <maintainers@newswatch.example>"
    CACHE STRING "Maintainer of the Debian package and its changelog entry")
set(NEWSWATCH_LICENSE "No license has been granted yet; all rights reserved by the authors."
    CACHE STRING "License statement for the Debian copyright file")

# A destination under the install prefix is given relative to it, so `cmake --install --prefix`
# and DESTDIR move it; one outside (GNUInstallDirs puts SYSCONFDIR at /etc for prefix /usr) stays
# absolute.
function(newswatch_install_destination out_var full_path)
  cmake_path(IS_PREFIX CMAKE_INSTALL_PREFIX "${full_path}" NORMALIZE under_prefix)
  if(under_prefix)
    file(RELATIVE_PATH relative "${CMAKE_INSTALL_PREFIX}" "${full_path}")
    set(${out_var} "${relative}" PARENT_SCOPE)
  else()
    set(${out_var} "${full_path}" PARENT_SCOPE)
  endif()
endfunction()

# Debian 12 keeps units in /lib/systemd/system (its systemd looks there first and lintian expects
# packages to ship them there); any other prefix keeps them under it.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(newswatch_default_unit_dir "/lib/systemd/system")
else()
  set(newswatch_default_unit_dir "lib/systemd/system")
endif()
set(NEWSWATCH_SYSTEMD_UNIT_DIR "${newswatch_default_unit_dir}" CACHE STRING "Where the systemd unit is installed")
newswatch_install_destination(newswatch_config_dir "${CMAKE_INSTALL_FULL_SYSCONFDIR}/newswatch")

# Plain directories are 0755 whatever the umask of the one who builds.
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

install(TARGETS newswatch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES systemd/newswatch.service DESTINATION "${NEWSWATCH_SYSTEMD_UNIT_DIR}")
install(FILES systemd/newswatch.sysusers DESTINATION lib/sysusers.d RENAME newswatch.conf)
install(FILES systemd/newswatch.tmpfiles DESTINATION lib/tmpfiles.d RENAME newswatch.conf)
install(FILES conf/newswatch.toml DESTINATION "${newswatch_config_dir}")

# The Debian control data. The version gets a Debian revision so that the package is not taken for
# a native one, which would want changelog.gz instead of changelog.Debian.gz.
set(NEWSWATCH_DEB_REVISION "1" CACHE STRING "Debian revision of the package version")
set(NEWSWATCH_DEB_VERSION "${PROJECT_VERSION}-${NEWSWATCH_DEB_REVISION}")
string(TIMESTAMP NEWSWATCH_COPYRIGHT_YEARS "%Y" UTC)
string(TIMESTAMP NEWSWATCH_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(newswatch_debian_dir "${CMAKE_CURRENT_BINARY_DIR}/debian")
configure_file(packaging/debian/copyright "${newswatch_debian_dir}/copyright" @ONLY)
configure_file(packaging/debian/changelog "${newswatch_debian_dir}/changelog.Debian" @ONLY)
# gzip -n: no name or timestamp in the header, so rebuilds give the same bytes; -k keeps the input.
add_custom_command(
  OUTPUT "${newswatch_debian_dir}/changelog.Debian.gz"
  COMMAND gzip -9 -n -k -f "${newswatch_debian_dir}/changelog.Debian"
  DEPENDS "${newswatch_debian_dir}/changelog.Debian"
  VERBATIM)
add_custom_target(newswatch_changelog ALL DEPENDS "${newswatch_debian_dir}/changelog.Debian.gz")
install(FILES "${newswatch_debian_dir}/copyright" "${newswatch_debian_dir}/changelog.Debian.gz"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# newswatch.1 from the binary's own --help and --version, plus man/newswatch.h2m.
find_program(HELP2MAN_EXECUTABLE help2man)
if(HELP2MAN_EXECUTABLE)
  set(newswatch_man_page "${CMAKE_CURRENT_BINARY_DIR}/man/newswatch.1")
  add_custom_command(
    OUTPUT "${newswatch_man_page}.gz"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/man"
    # --no-discard-stderr: a sanitizer report would end up in the page rather than go unseen.
    # -N: no pointer to a Texinfo manual, which newswatch does not have.
    COMMAND "${CMAKE_COMMAND}" -E env ASAN_OPTIONS=detect_leaks=0 "${HELP2MAN_EXECUTABLE}" --no-discard-stderr -N
            --section 1 --name "news feed monitor daemon" --include "${CMAKE_CURRENT_SOURCE_DIR}/man/newswatch.h2m"
            --output "${newswatch_man_page}" "$<TARGET_FILE:newswatch>"
    COMMAND gzip -9 -n -f "${newswatch_man_page}"
    DEPENDS newswatch "${CMAKE_CURRENT_SOURCE_DIR}/man/newswatch.h2m"
    COMMENT "Generating the newswatch(1) manual page with help2man"
    VERBATIM)
  add_custom_target(newswatch_man_page ALL DEPENDS "${newswatch_man_page}.gz")
  install(FILES "${newswatch_man_page}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
  set(NEWSWATCH_HAS_MAN_PAGE ON)
elseif(NEWSWATCH_REQUIRE_MAN_PAGE)
  message(FATAL_ERROR "the manual page needs help2man: apt-get install help2man (or run scripts/install-deps)")
else()
  message(STATUS "help2man not found: no newswatch(1) manual page")
  set(NEWSWATCH_HAS_MAN_PAGE OFF)
endif()

# cpack -G DEB in a Release tree configured with prefix /usr (scripts/package does all of this).
set(CPACK_PACKAGE_NAME "newswatch")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${NEWSWATCH_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "news feed monitor that alerts chat tools on matching stories")
set(CPACK_PACKAGE_DESCRIPTION
    "newswatch polls RSS, Atom and JSON feeds, remembers what it has seen, folds\n"
    "near-duplicate stories from different outlets into one, matches new items\n"
    "against watch rules written in a boolean query language and sends alerts to\n"
    "Slack, Discord, Teams, Mattermost, Google Chat, Telegram, ntfy, Matrix or any\n"
    "webhook. It runs as a hardened systemd service configured by TOML files in\n"
    "/etc/newswatch.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
# Absolute destinations (/etc, /lib/systemd/system) land in the staging tree, never on the host.
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${NEWSWATCH_DEB_REVISION}")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${NEWSWATCH_PROJECT_URL}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# systemd-sysusers and systemd-tmpfiles run from postinst; the unit is the way newswatch runs.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/conffiles"
    "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postinst"
    "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/prerm"
    "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postrm")
# 0755 for the scripts and 0644 for conffiles, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
