import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Decide {
    public static void main(String[] args) throws Exception {
        String base = System.getenv().getOrDefault("NETRAL_URL", "http://127.0.0.1:8000");
        String token = System.getenv("NETRAL_TOKEN");            // from the environment, as the service's own
        String fact = """
            {"id": "lap-017", "occurred_on": "2024-01-20",
             "actor": {"status": "pns"},
             "context": {"election": {"type": "pilpres", "candidate_stage": "calon", "in_campaign_period": true}},
             "act": {"kind": "campaign_attendance", "role": "participant", "party_attributes": true}}
            """;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/decide"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(fact));
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("HTTP " + response.statusCode());
        if (response.statusCode() == 200) {
            // a JSON library (Jackson, Gson) would map the whole decision; two fields are enough here
            System.out.println("status: " + field(response.body(), "status"));
            System.out.println("level:  " + field(response.body(), "level"));
        } else {
            System.out.println(response.body());                 // the ErrorBody: problems and text.id / text.en
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }
}
