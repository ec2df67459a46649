"""Debian's wapiti 3.0.4 (bookworm) with two fixes, so that its findings are about the portal and not about wapiti:

1. Its -x exclusion patterns end in the regex flags "(?ms)", which Python 3.11 refuses ("global flags not at the
   start"): any -x stopped the scan before it began. Same translation, flags first.
2. It posts a multipart form's text fields as file parts (filename = field name). ASP.NET, like any server, does not
   read those as form values, so the antiforgery token never arrives: every submission of the apply form failed with
   400 before reaching the code under attack, and the csrf module reported "token not properly checked" because the
   genuine and the tampered submission got the same 400. Fields now go as fields, files as files, as a browser sends them.
"""
import re
import sys

from requests.exceptions import ConnectionError, ReadTimeout

import wapitiCore.net.crawler as crawler
from wapitiCore.main.wapiti import wapiti_main
from wapitiCore.net.page import Page


def wildcard_translate(pattern):
    return re.compile("(?ms)" + "".join(".*" if char == "*" else re.escape(char) for char in pattern) + r"\Z")


original_post = crawler.Crawler.post


def post(self, form, follow_redirects=False, headers=None):
    if not (form.is_multipart and form.file_params):
        return original_post(self, form, follow_redirects, headers)
    form_headers = dict(headers or {})
    if form.referer:
        form_headers["referer"] = form.referer
    try:
        response = self._session.post(
            form.path, params=form.get_params, data=form.post_params, files=form.file_params, headers=form_headers,
            timeout=self._timeout, allow_redirects=follow_redirects, verify=self.secure)
    except ConnectionError as exception:  # as the original does: requests reports a chunked read timeout this way
        if "Read timed out" in str(exception):
            raise ReadTimeout("Request time out")
        raise
    return Page(response)


crawler.wildcard_translate = wildcard_translate
crawler.Crawler.post = post
sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
