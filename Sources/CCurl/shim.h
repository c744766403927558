// Typed wrappers over libcurl's variadic calls, which Swift cannot import.
#ifndef QLP_CCURL_SHIM_H
#define QLP_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode qlp_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_ALL); }
static inline curl_version_info_data *qlp_curl_version_info(void) { return curl_version_info(CURLVERSION_NOW); }

static inline CURLcode qlp_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode qlp_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode qlp_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode qlp_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode qlp_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode qlp_easy_setopt_write_function(CURL *h, curl_write_callback f) {
    return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f);
}
static inline CURLcode qlp_easy_setopt_header_function(CURL *h, curl_write_callback f) {
    return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f);
}
static inline CURLcode qlp_easy_setopt_read_function(CURL *h, curl_read_callback f) {
    return curl_easy_setopt(h, CURLOPT_READFUNCTION, f);
}
static inline CURLcode qlp_easy_setopt_debug_function(CURL *h, curl_debug_callback f) {
    return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, f);
}
static inline CURLcode qlp_easy_setopt_xferinfo_function(CURL *h, curl_xferinfo_callback f) {
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f);
}

/// CURLAUTH_DIGEST is a cast-and-shift macro, which Swift does not import.
static inline long qlp_curlauth_digest(void) { return (long)CURLAUTH_DIGEST; }

/// A write callback's "keep these bytes, stop receiving" answer, and the call that starts receiving
/// again; CURLPAUSE_CONT is an or of two macros, which Swift does not import.
static inline size_t qlp_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline CURLcode qlp_easy_unpause(CURL *h) { return curl_easy_pause(h, CURLPAUSE_CONT); }

static inline CURLcode qlp_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode qlp_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode qlp_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode qlp_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

/// CURLMsg carries a union; reading it from Swift is awkward, so expose the parts.
static inline CURLMSG qlp_msg_kind(const CURLMsg *m) { return m->msg; }
static inline CURL *qlp_msg_easy(const CURLMsg *m) { return m->easy_handle; }
static inline CURLcode qlp_msg_result(const CURLMsg *m) { return m->data.result; }

#endif
