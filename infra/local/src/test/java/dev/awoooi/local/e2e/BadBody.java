package dev.awoooi.local.e2e;

/** One generated request that intake must refuse with a 4xx: where it goes, what it carries, what is wrong with it. */
record BadBody(String path, String contentType, String body, String why) {
}
