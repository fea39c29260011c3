package dev.awoooi.config;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The Kubernetes client's first calls, offline: an API client whose HTTP client answers every request itself with an
 * empty list (an OkHttp interceptor, nothing is sent) lists what the topology lists, so client-java's request
 * building, its Gson type adapters for every model and the response path are loaded before the snapshot. The real
 * client is built on first use from the secret's kubeconfig and shares those classes.
 */
final class KubernetesPrimer implements Primer {

    @Override
    public void prime() {
        OkHttpClient canned = new OkHttpClient.Builder().addInterceptor(chain -> {
            String kind = chain.request().url().encodedPath().endsWith("/pods") ? "PodList" : "List";
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create("{\"kind\":\"" + kind + "\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}",
                            MediaType.get("application/json"))).build();
        }).build();
        ApiClient client = new ApiClient(canned).setBasePath("http://priming.invalid");
        CoreV1Api core = new CoreV1Api(client);
        AppsV1Api apps = new AppsV1Api(client);
        try {
            for (int round = 0; round < 10; round++) {
                apps.listNamespacedDeployment("priming").execute();
                apps.listNamespacedStatefulSet("priming").execute();
                core.listNamespacedService("priming").execute();
                core.listNamespacedPod("priming").execute();
                core.listNamespacedConfigMap("priming").execute();
                core.listNamespacedEvent("priming").execute();
            }
        } catch (ApiException e) {
            throw new IllegalStateException("priming the Kubernetes client failed: " + e.getCode(), e);
        }
    }
}
