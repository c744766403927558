/// Real payloads the model APIs are checked against, copied verbatim from
/// Ollama's documentation and tests (docs/api.md, openai/openai.go tests) and
/// Azure OpenAI's 2024-10-21 chat example (its responses["200"].body).
enum ModelAPIFixtures {
    static let apiChatResponseNonstream = #"""
        {
          "model": "llama3.2",
          "created_at": "2023-12-12T14:13:43.416799Z",
          "message": {
            "role": "assistant",
            "content": "Hello! How are you today?"
          },
          "done": true,
          "total_duration": 5191566416,
          "load_duration": 2154458,
          "prompt_eval_count": 26,
          "prompt_eval_duration": 383809000,
          "eval_count": 298,
          "eval_duration": 4799921000
        }
        """#
    static let apiChatResponseStreamChunk = #"""
        {
          "model": "llama3.2",
          "created_at": "2023-08-04T08:52:19.385406455-07:00",
          "message": {
            "role": "assistant",
            "content": "The",
            "images": null
          },
          "done": false
        }
        """#
    static let apiChatResponseStreamFinal = #"""
        {
          "model": "llama3.2",
          "created_at": "2023-08-04T19:22:45.499127Z",
          "message": {
            "role": "assistant",
            "content": ""
          },
          "done": true,
          "total_duration": 4883583458,
          "load_duration": 1334875,
          "prompt_eval_count": 26,
          "prompt_eval_duration": 342546000,
          "eval_count": 282,
          "eval_duration": 4535599000
        }
        """#
    static let apiGenerateResponseNonstream = #"""
        {
          "model": "llama3.2",
          "created_at": "2023-08-04T19:22:45.499127Z",
          "response": "The sky is blue because it is the color of the sky.",
          "done": true,
          "context": [1, 2, 3],
          "total_duration": 5043500667,
          "load_duration": 5025959,
          "prompt_eval_count": 26,
          "prompt_eval_duration": 325953000,
          "eval_count": 290,
          "eval_duration": 4709213000
        }
        """#
    static let apiEmbedResponse = #"""
        {
          "model": "all-minilm",
          "embeddings": [
            [
              0.010071029, -0.0017594862, 0.05007221, 0.04692972, 0.054916814,
              0.008599704, 0.105441414, -0.025878139, 0.12958129, 0.031952348
            ]
          ],
          "total_duration": 14143917,
          "load_duration": 1019500,
          "prompt_eval_count": 8
        }
        """#
    static let apiErrorResponse = #"""
        {
          "error": "the model failed to generate a response"
        }
        """#
    static let apiPsResponse = #"""
        {
          "models": [
            {
              "name": "mistral:latest",
              "model": "mistral:latest",
              "size": 5137025024,
              "digest": "2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8",
              "details": {
                "parent_model": "",
                "format": "gguf",
                "family": "llama",
                "families": ["llama"],
                "parameter_size": "7.2B",
                "quantization_level": "Q4_0"
              },
              "expires_at": "2024-06-04T14:38:31.83753-07:00",
              "size_vram": 5137025024
            }
          ]
        }
        """#
    static let apiTagsResponse = #"""
        {
          "models": [
            {
              "name": "deepseek-r1:latest",
              "model": "deepseek-r1:latest",
              "modified_at": "2025-05-10T08:06:48.639712648-07:00",
              "size": 4683075271,
              "digest": "0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163",
              "details": {
                "parent_model": "",
                "format": "gguf",
                "family": "qwen2",
                "families": ["qwen2"],
                "parameter_size": "7.6B",
                "quantization_level": "Q4_K_M"
              }
            },
            {
              "name": "llama3.2:latest",
              "model": "llama3.2:latest",
              "modified_at": "2025-05-04T17:37:44.706015396-07:00",
              "size": 2019393189,
              "digest": "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
              "details": {
                "parent_model": "",
                "format": "gguf",
                "family": "llama",
                "families": ["llama"],
                "parameter_size": "3.2B",
                "quantization_level": "Q4_K_M"
              }
            }
          ]
        }
        """#
    static let apiVersionResponse = #"""
        {
          "version": "0.5.1"
        }
        """#
    static let v1ModelsResponse = #"""
        {
        	"object": "list",
        	"data": [
        		{
        			"id": "test-model",
        			"object": "model",
        			"created": 1686935002,
        			"owned_by": "library"
        		}
        	]
        }
        """#
    static let v1ErrorResponse = #"""
        {
        	"error": {
        	  "code": null,
        	  "message": "model not found",
        	  "param": null,
        	  "type": "invalid_request_error"
        	}
        }
        """#
    static let azureChatCompletion = #"""
        {
          "id": "chatcmpl-7R1nGnsXO8n4oi9UPz2f3UHdgAYMn",
          "created": 1686676106,
          "choices": [
            {
              "index": 0,
              "finish_reason": "stop",
              "message": {
                "role": "assistant",
                "content": "Ahoy matey! So ye be wantin' to care for a fine squawkin' parrot, eh? Well, shiver me timbers, let ol' Cap'n Assistant share some wisdom with ye! Here be the steps to keepin' yer parrot happy 'n healthy:\n\n1. Secure a sturdy cage: Yer parrot be needin' a comfortable place to lay anchor! Be sure ye get a sturdy cage, at least double the size of the bird's wingspan, with enough space to spread their wings, yarrrr!\n\n2. Perches 'n toys: Aye, parrots need perches of different sizes, shapes, 'n textures to keep their feet healthy. Also, a few toys be helpin' to keep them entertained 'n their minds stimulated, arrrh!\n\n3. Proper grub: Feed yer feathered friend a balanced diet of high-quality pellets, fruits, 'n veggies to keep 'em strong 'n healthy. Give 'em fresh water every day, or ye’ll have a scurvy bird on yer hands!\n\n4. Cleanliness: Swab their cage deck! Clean their cage on a regular basis: fresh water 'n food daily, the floor every couple of days, 'n a thorough scrubbing ev'ry few weeks, so the bird be livin' in a tidy haven, arrhh!\n\n5. Socialize 'n train: Parrots be a sociable lot, arrr! Exercise 'n interact with 'em daily to create a bond 'n maintain their mental 'n physical health. Train 'em with positive reinforcement, treat 'em kindly, yarrr!\n\n6. Proper rest: Yer parrot be needin' ’bout 10-12 hours o' sleep each night. Cover their cage 'n let them slumber in a dim, quiet quarter for a proper night's rest, ye scallywag!\n\n7. Keep a weather eye open for illness: Birds be hidin' their ailments, arrr! Be watchful for signs of sickness, such as lethargy, loss of appetite, puffin' up, or change in droppings, and make haste to a vet if need be.\n\n8. Provide fresh air 'n avoid toxins: Parrots be sensitive to draft and pollutants. Keep yer quarters well ventilated, but no drafts, arrr! Be mindful of toxins like Teflon fumes, candles, or air fresheners.\n\nSo there ye have it, me hearty! With proper care 'n commitment, yer parrot will be squawkin' \"Yo-ho-ho\" for many years to come! Good luck, sailor, and may the wind be at yer back!"
              }
            }
          ],
          "usage": {
            "completion_tokens": 557,
            "prompt_tokens": 33,
            "total_tokens": 590
          }
        }
        """#
}
